// The visualizer's one HTML page: the graph on the left, the controls and live panels on the right.
// Element ids are the page's interface to its script (page/main.ts) and to the browser test.
export function pageHtml(title: string): string {
  const esc = title.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>p2psim viz: ${esc}</title>
<style>
  body { margin: 0; font: 13px/1.35 system-ui, sans-serif; display: flex; height: 100vh; color: #222; }
  #graph { flex: 1; background: #fbfbfd; position: relative; }
  #side { width: 330px; overflow-y: auto; padding: 10px 12px; border-left: 1px solid #ddd; box-sizing: border-box; }
  h1 { font-size: 15px; margin: 0 0 6px; }
  h2 { font-size: 12px; text-transform: uppercase; color: #666; margin: 12px 0 4px; }
  button { margin: 2px 2px 2px 0; }
  table { border-collapse: collapse; width: 100%; }
  td { padding: 1px 4px 1px 0; vertical-align: top; }
  td:first-child { color: #666; width: 48%; }
  #digest { font: 10px monospace; word-break: break-all; }
  #log { font: 11px monospace; white-space: pre-wrap; max-height: 140px; overflow-y: auto; color: #444; }
  #error { color: #b00020; }
  .legend span { display: inline-block; width: 9px; height: 9px; border-radius: 50%; margin: 0 3px 0 8px; }
</style>
</head>
<body data-state="loading">
<div id="graph"></div>
<div id="side">
  <h1>${esc}</h1>
  <div class="legend"><span style="background:#ff8c00"></span><i id="has-last" style="font-style:normal">has the last transaction</i><i id="fork-legend" hidden style="font-style:normal"><span style="background:#7b3fc4"></span>on a rival tip</i><span style="background:#b0b0b0"></span>offline<i id="spy-legend" hidden style="font-style:normal"><span style="background:#d0021b;width:11px;height:11px"></span>spy <span style="background:#6b0010;width:11px;height:11px;margin-left:2px"></span>spy that has it</i></div>
  <div id="error"></div>
  <h2>Time</h2>
  <table>
    <tr><td>simulated time (s)</td><td id="time">0.00</td></tr>
    <tr><td>speed</td><td><select id="speed"><option value="0.1">0.1 ×</option><option value="0.25">0.25 ×</option><option value="0.5" selected>0.5 ×</option><option value="1">1 ×</option><option value="2">2 ×</option><option value="5">5 ×</option><option value="10">10 ×</option><option value="30">30 ×</option></select> <button id="play">Pause</button></td></tr>
  </table>
  <h2>Network</h2>
  <p>Nodes <input id="count" type="number" min="1" value="50" style="width:60px"></p>
  <button id="add">Add nodes</button><button id="delete">Delete random nodes</button><button id="crash-top">Crash best-connected</button>
  <p><select id="region"></select> <button id="split">Split region</button><button id="heal">Heal</button></p>
  <table>
    <tr><td>online nodes</td><td id="online">—</td></tr>
    <tr><td>connections</td><td><span id="connections">—</span> <label><input id="edges" type="checkbox" checked> draw</label></td></tr>
    <tr><td>room for nodes to add</td><td id="spares">—</td></tr>
    <tr><td>partition</td><td id="partition">none</td></tr>
  </table>
  <h2 id="messages-title">Transactions</h2>
  <span id="send-row"><button id="send">Send a transaction</button><span id="protocol-row"> by <select id="protocol"><option value="flood">flood</option><option value="diffusion">diffusion</option><option value="trickle">trickle</option><option value="dandelion">Dandelion</option><option value="dandelion++">Dandelion++</option></select></span></span>
  <span id="mine-row" hidden><button id="mine">Mine a block</button></span>
  <table>
    <tr><td>last</td><td id="message">—</td></tr>
    <tr><td>coverage of online nodes</td><td id="coverage">—</td></tr>
    <tr><td>t50 / t90 / t100</td><td><span id="t50">—</span> / <span id="t90">—</span> / <span id="t100">—</span></td></tr>
  </table>
  <canvas id="plot" width="300" height="90"></canvas>
  <div id="chain-panel" hidden>
  <h2>Chain</h2>
  <table>
    <tr><td>best tip among online nodes</td><td id="best-tip">—</td></tr>
    <tr><td>tips held by online nodes</td><td id="tips">—</td></tr>
    <tr><td>every online node agrees</td><td id="agree">—</td></tr>
    <tr><td>last block in every online node's chain (time to consistency)</td><td id="consistency">—</td></tr>
  </table>
  </div>
  <div id="adversary-panel" hidden>
  <h2>Adversary</h2>
  <table>
    <tr><td>spies</td><td id="spies">—</td></tr>
    <tr><td>first-spy guess of the last transaction's origin</td><td><span id="guess">—</span> <b id="guess-right"></b></td></tr>
    <tr><td>first-spy recall, whole run</td><td id="recall">—</td></tr>
  </table>
  </div>
  <h2>Run</h2>
  <table>
    <tr><td>events</td><td id="events">—</td></tr>
    <tr><td>engine run (ms)</td><td id="runms">—</td></tr>
    <tr><td>frames per second</td><td id="fps">—</td></tr>
    <tr><td>digest</td><td id="digest"></td></tr>
  </table>
  <button id="export">Export run</button>
  <h2>Your events</h2>
  <div id="log"></div>
</div>
<script type="module" src="./main.js"></script>
</body>
</html>
`;
}
