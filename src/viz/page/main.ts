// The visualizer page: draws the network with sigma.js, turns the user's clicks into events at the
// current simulated time, has the worker run the scenario they make, and shows the run at that time
// (docs/viz.md). The page keeps the clock; the worker keeps the engine.
import Graph from 'graphology';
import Sigma from 'sigma';
import { RELAY_KINDS, type RelayKind, type VizEvent } from '../session.js';
import type { VizNetwork, VizRun } from '../sim.js';
import { placeNodes, regionColor } from './layout.js';
import type { FromWorker, ToWorker } from './protocol.js';
import { agreementTimes, coverage, descendants, notYetJoined, online as isOnlineAt, Tips, wentDown, type Coverage } from './state.js';

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

interface Edge {
  key: string;
  u: number;
  v: number;
  /** When each connection between u and v was opened (0: the initial graph). */
  opened: number[];
}

/** What the bench and the browser test read; the page's own numbers, not a second source of truth. */
interface VizStats {
  ready: boolean;
  pending: boolean;
  fps: number;
  frames: number;
  simEventsPerSecond: number;
  lastRunMs: number;
  runs: number;
  simMs: number;
  /** Mean time the page's own per-frame work takes (ms, moving average), apart from the renderer's. */
  drawMs: number;
  /** Nodes drawn as spies in the last frame. */
  spiesShown: number;
}

const stats: VizStats = { ready: false, pending: false, fps: 0, frames: 0, simEventsPerSecond: 0, lastRunMs: 0, runs: 0, simMs: 0, drawMs: 0, spiesShown: 0 };
(window as unknown as { __viz: VizStats }).__viz = stats;

const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
const send = (m: ToWorker) => worker.postMessage(m);

let net: VizNetwork | null = null;
let run: VizRun | null = null;
const events: VizEvent[] = [];
let requested = 0;
let clock = 0;
let playing = true;
let speed = 0.5;
let clicks = 0;
const graph = new Graph({ type: 'undirected', multi: false });
const edges = new Map<string, Edge>();
let renderer: Sigma | null = null;
let isOnline = new Uint8Array(0);
let roomLeft = 0;
let openSplit: string | null = null;
/** A chain run's tips, and the agreement times of its blocks, read as the page needs them. */
let tips: Tips | null = null;
const agreement = new Map<number, number[]>();

/** The page's own random choices (which nodes to delete, where a transaction starts): recorded as ids. */
function random(): number {
  // mulberry32 over (seed, clicks): any choice is fine, since the exported file names the nodes chosen.
  let a = (0x9e3779b9 * ++clicks) >>> 0;
  a = (a + 0x6d2b79f5) >>> 0;
  let t = Math.imul(a ^ (a >>> 15), 1 | a);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

function pick<T>(items: T[], k: number): T[] {
  const a = [...items];
  const out: T[] = [];
  for (let i = 0; i < k && i < a.length; i++) {
    const j = i + Math.floor(random() * (a.length - i));
    [a[i], a[j]] = [a[j]!, a[i]!];
    out.push(a[i]!);
  }
  return out;
}

function edgeKey(u: number, v: number): string {
  return u < v ? `${u}-${v}` : `${v}-${u}`;
}

function addEdge(u: number, v: number, t: number): void {
  const key = edgeKey(u, v);
  let e = edges.get(key);
  if (!e) {
    e = { key, u: Math.min(u, v), v: Math.max(u, v), opened: [] };
    edges.set(key, e);
    graph.addUndirectedEdgeWithKey(key, String(e.u), String(e.v), { color: '#d5dce6', size: 0.3, visibility: 'hidden' });
  }
  if (!e.opened.includes(t)) e.opened.push(t);
}

function setUp(network: VizNetwork): void {
  net = network;
  const n = network.nodes;
  for (let v = 0; v < n; v++) graph.addNode(String(v), { x: 0, y: 0, size: 2, color: '#888', visibility: 'visible' });
  for (let u = 0; u < n; u++) for (let i = network.offsets[u]!; i < network.offsets[u + 1]!; i++) if (u < network.targets[i]!) addEdge(u, network.targets[i]!, 0);
  placeNodes(graph, network.region, network.regionNames);
  renderer = new Sigma(graph, $('graph'), {
    settings: { renderLabels: false, hideEdgesOnMove: true, allowInvalidContainer: true },
    styles: {
      nodes: { color: { attribute: 'color' }, size: { attribute: 'size' }, visibility: { attribute: 'visibility' } },
      edges: { color: { attribute: 'color' }, size: { attribute: 'size' }, visibility: { attribute: 'visibility' } },
    },
  } as ConstructorParameters<typeof Sigma>[2]);
  isOnline = new Uint8Array(n);
  const select = $<HTMLSelectElement>('region');
  for (const name of network.regionNames) select.add(new Option(name, name));
  $('split').toggleAttribute('disabled', network.regionNames.length < 2);
  // The scenario's own protocol first; any of them per transaction (a "mixed" run, docs/scenario.md).
  const own = network.protocol === 'mixed' ? ((network.base.scenario.protocol as { protocols: { kind: string }[] }).protocols[0]!.kind) : network.protocol;
  if ((RELAY_KINDS as readonly string[]).includes(own)) $<HTMLSelectElement>('protocol').value = own;
  const chain = network.model === 'chain';
  document.body.dataset.model = network.model;
  // A chain relays its transactions by Bitcoin Core's inv timers, not by a gossip protocol.
  $('protocol-row').hidden = chain;
  $('mine-row').hidden = !chain;
  $('chain-panel').hidden = !chain;
  $('messages-title').textContent = chain ? 'Blocks and transactions' : 'Transactions';
  $('has-last').textContent = chain ? 'on the best tip' : 'has the last transaction';
  $('fork-legend').hidden = !chain;
  if (network.spies) {
    let k = 0;
    for (const x of network.spies) k += x;
    $('spies').textContent = String(k);
    $('adversary-panel').hidden = false;
    $('spy-legend').hidden = false;
  }
  // Thousands of connections cost a software renderer most of its frame time: off by default there.
  $<HTMLInputElement>('edges').checked = n <= 1000;
  roomLeft = network.base.spare;
  $('spares').textContent = String(roomLeft);
  requestRun();
}

function requestRun(): void {
  stats.pending = true;
  document.body.dataset.state = 'running';
  send({ type: 'run', id: ++requested, events: [...events] });
}

function onRun(id: number, r: VizRun): void {
  if (id !== requested) return;
  run = r;
  tips = r.blocks ? new Tips(r, net!.nodes) : null;
  agreement.clear();
  const before = edges.size;
  for (const e of edges.values()) e.opened = e.opened.filter((o) => o === 0);
  for (let i = 0; i < r.connTimes.length; i++) addEdge(r.connFrom[i]!, r.connTo[i]!, r.connTimes[i]!);
  // New edges must be indexed by the renderer before their attributes change.
  if (edges.size !== before) renderer?.refresh();
  stats.pending = false;
  stats.ready = true;
  stats.runs++;
  stats.lastRunMs = r.simWallMs;
  stats.simEventsPerSecond = r.simWallMs > 0 ? r.events / (r.simWallMs / 1000) : 0;
  document.body.dataset.state = 'ready';
  $('digest').textContent = r.digest;
  $('events').textContent = r.events.toLocaleString('en-US');
  $('runms').textContent = r.simWallMs.toFixed(1);
}

worker.onmessage = (e: MessageEvent<FromWorker>) => {
  const m = e.data;
  if (m.type === 'network') setUp(m.network);
  else if (m.type === 'run') onRun(m.id, m.run);
  else showError(m.message);
};

function showError(message: string): void {
  $('error').textContent = message;
  document.body.dataset.state = 'error';
}

/** A click: an event at the current simulated time (a whole millisecond, after t = 0). */
function click(make: (atMs: number) => VizEvent | null): void {
  if (!net || !run) return;
  const atMs = Math.max(1, Math.round(clock));
  if (atMs >= net.base.durationMs) return showError('the run has ended; export it or reload');
  const e = make(atMs);
  if (!e) return;
  events.push(e);
  $('log').textContent = events.map(describe).join('\n');
  requestRun();
}

function describe(e: VizEvent): string {
  const at = `${(e.atMs / 1000).toFixed(3)} s`;
  switch (e.kind) {
    case 'send':
      return `${at}  transaction from node ${e.origin}${e.protocol ? ` by ${e.protocol}` : ''}`;
    case 'mine':
      return `${at}  block mined by node ${net!.miners!.nodes[e.miner]}`;
    case 'crash':
      return `${at}  ${e.ids.length} nodes deleted`;
    case 'add':
      return `${at}  ${e.count} nodes join`;
    case 'split':
      return `${at}  ${e.region} cut off`;
    case 'heal':
      return `${at}  partition healed`;
  }
}

const count = () => Math.max(1, Math.floor(Number($<HTMLInputElement>('count').value) || 1));
const onlineIds = () => {
  const out: number[] = [];
  for (let v = 0; v < isOnline.length; v++) if (isOnline[v]) out.push(v);
  return out;
};

function degrees(t: number): Int32Array {
  const d = new Int32Array(isOnline.length);
  for (const e of edges.values()) {
    if (alive(e, t)) {
      d[e.u]!++;
      d[e.v]!++;
    }
  }
  return d;
}

function alive(e: Edge, t: number): boolean {
  if (!run || !isOnline[e.u] || !isOnline[e.v]) return false;
  return e.opened.some((o) => o <= t && !wentDown(run!, e.u, o, t) && !wentDown(run!, e.v, o, t));
}

function wire(): void {
  $('add').onclick = () =>
    click((atMs) => {
      const k = Math.min(count(), roomLeft);
      if (k === 0) {
        showError('no room for more nodes: start p2psim viz with a larger --spare');
        return null;
      }
      roomLeft -= k;
      $('spares').textContent = String(roomLeft);
      return { kind: 'add', atMs, count: k };
    });
  $('delete').onclick = () => click((atMs) => ({ kind: 'crash', atMs, ids: pick(onlineIds(), count()).sort((a, b) => a - b) }));
  $('crash-top').onclick = () =>
    click((atMs) => {
      const d = degrees(atMs);
      const ids = onlineIds().sort((a, b) => d[b]! - d[a]! || a - b).slice(0, count());
      return { kind: 'crash', atMs, ids: ids.sort((a, b) => a - b) };
    });
  $('split').onclick = () =>
    click((atMs) => {
      if (openSplit) return null;
      openSplit = $<HTMLSelectElement>('region').value;
      return { kind: 'split', atMs, region: openSplit };
    });
  $('heal').onclick = () =>
    click((atMs) => {
      if (!openSplit) return null;
      openSplit = null;
      return { kind: 'heal', atMs };
    });
  $('send').onclick = () =>
    click((atMs) => {
      const d = degrees(atMs);
      // From an initial node (the scenario's broadcasts start only there) that is not a spy (the
      // adversary's measures do not count a spy's own transaction).
      const spies = net!.spies;
      const ready = onlineIds().filter((v) => v < net!.initialNodes && d[v]! > 0 && !spies?.[v]);
      const [origin] = pick(ready, 1);
      if (origin === undefined) return null;
      if (net!.model === 'chain') return { kind: 'send', atMs, origin };
      return { kind: 'send', atMs, origin, protocol: $<HTMLSelectElement>('protocol').value as RelayKind };
    });
  $('mine').onclick = () =>
    click((atMs) => {
      // An online miner, drawn by hash share: who would have found a block now.
      const m = net!.miners!;
      const up = m.nodes.map((v, i) => (isOnline[v] ? i : -1)).filter((i) => i >= 0);
      if (up.length === 0) {
        showError('no miner is online to find a block');
        return null;
      }
      let x = random() * up.reduce((sum, i) => sum + m.shares[i]!, 0);
      const miner = up.find((i) => (x -= m.shares[i]!) < 0) ?? up[up.length - 1]!;
      return { kind: 'mine', atMs, miner };
    });
  $('play').onclick = () => {
    playing = !playing;
    $('play').textContent = playing ? 'Pause' : 'Play';
  };
  $<HTMLSelectElement>('speed').onchange = (e) => (speed = Number((e.target as HTMLSelectElement).value));
  $('export').onclick = exportRun;
}

function exportRun(): void {
  if (!run || stats.pending) return;
  const blob = new Blob([JSON.stringify(run.scenario, null, 2) + '\n'], { type: 'application/json' });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = 'p2psim-viz-run.json';
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

let lastFrame = performance.now();
let fpsFrames = 0;
let fpsSince = lastFrame;

function frame(now: number): void {
  requestAnimationFrame(frame);
  const dt = Math.min(250, now - lastFrame);
  lastFrame = now;
  fpsFrames++;
  stats.frames++;
  if (now - fpsSince >= 1000) {
    stats.fps = (1000 * fpsFrames) / (now - fpsSince);
    fpsFrames = 0;
    fpsSince = now;
    $('fps').textContent = stats.fps.toFixed(0);
  }
  if (net && run) {
    if (playing) clock = Math.min(net.base.durationMs, clock + dt * speed);
    stats.simMs = clock;
    const d0 = performance.now();
    draw(clock);
    stats.drawMs = 0.9 * stats.drawMs + 0.1 * (performance.now() - d0);
  }
}

const SPY = '#d0021b';
const SPY_REACHED = '#6b0010';
const RIVAL = '#7b3fc4';

/** Per node what it shows (Look), per edge whether it is open: drawn again only where they change. */
const enum Look {
  Unset,
  Hidden,
  Offline,
  Fresh,
  Reached,
  Waiting,
  Spy,
  SpyReached,
  /** A chain node whose tip is another block at the best height: a fork. */
  OtherTip,
}
let looks = new Uint8Array(0);
let edgeShown = new Map<string, boolean>();

/** What a chain node shows: whether it is on the best tip among the online nodes, or on a rival at its height. */
interface ChainView {
  tip: Int32Array;
  best: number;
  /** Online nodes per tip, and the online nodes. */
  holders: Map<number, number>;
  online: number;
}

function lookOf(r: VizRun, v: number, t: number, m: number, n: number, chain: ChainView | null): Look {
  if (v >= r.roomFrom || notYetJoined(r, v, t)) return Look.Hidden;
  if (!isOnline[v]) return Look.Offline;
  const f = m >= 0 ? r.firstMs[m * n + v]! : NaN;
  if (net!.spies?.[v]) return f <= t ? Look.SpyReached : Look.Spy;
  if (f <= t && t - f < 300) return Look.Fresh;
  if (chain) {
    const x = chain.tip[v]!;
    if (x === chain.best) return Look.Reached;
    return r.blocks!.height[x] === r.blocks!.height[chain.best] ? Look.OtherTip : Look.Waiting;
  }
  return f <= t ? Look.Reached : Look.Waiting;
}

function style(look: Look, v: number): Record<string, unknown> {
  switch (look) {
    case Look.Hidden:
      return { visibility: 'hidden' };
    case Look.Offline:
      return { visibility: 'visible', color: '#b0b0b0', size: 1 };
    case Look.Fresh:
      return { visibility: 'visible', color: '#e8d000', size: 3 };
    case Look.Reached:
      return { visibility: 'visible', color: '#ff8c00', size: 1.8 };
    // Spies keep their own colour, larger, whether or not the transaction has reached them.
    case Look.Spy:
      return { visibility: 'visible', color: SPY, size: 3.2 };
    case Look.SpyReached:
      return { visibility: 'visible', color: SPY_REACHED, size: 3.2 };
    case Look.OtherTip:
      return { visibility: 'visible', color: RIVAL, size: 2.4 };
    default:
      return { visibility: 'visible', color: regionColor(net!.region[v]!), size: 1.5 };
  }
}

function draw(t: number): void {
  const r = run!;
  const n = net!.nodes;
  if (looks.length !== n) looks = new Uint8Array(n);
  let online = 0;
  for (let v = 0; v < n; v++) online += isOnline[v] = v < r.roomFrom && isOnlineAt(r, v, t) ? 1 : 0;
  const cov = coverage(r, isOnline, t);
  const m = cov?.message ?? -1;
  const chain = tips ? chainView(tips.atTime(t)) : null;
  let spies = 0;
  for (let v = 0; v < n; v++) {
    const look = lookOf(r, v, t, m, n, chain);
    if (look === Look.Spy || look === Look.SpyReached) spies++;
    if (look !== looks[v]) {
      looks[v] = look;
      graph.mergeNodeAttributes(String(v), style(look, v));
    }
  }
  stats.spiesShown = spies;
  let open = 0;
  const drawEdges = $<HTMLInputElement>('edges').checked;
  for (const e of edges.values()) {
    const up = alive(e, t);
    if (up) open++;
    const shown = up && drawEdges;
    if (edgeShown.get(e.key) !== shown) {
      edgeShown.set(e.key, shown);
      graph.setEdgeAttribute(e.key, 'visibility', shown ? 'visible' : 'hidden');
    }
  }
  $('time').textContent = (t / 1000).toFixed(2);
  $('partition').textContent = partitionAt(t);
  $('online').textContent = `${online}`;
  $('connections').textContent = `${open}`;
  panel(cov);
  adversaryPanel(r, cov, t);
  if (chain) chainPanel(r, chain, t);
}

/** The id of the last block found by t (0: none yet); blocks are the chain's first messages, in time order. */
function lastBlock(r: VizRun, t: number): number {
  let x = 0;
  for (let m = 0; m < r.createdMs.length && r.protocolOf[m] === 'block'; m++) if (r.createdMs[m]! <= t) x = m + 1;
  return x;
}

/** The best tip among the online nodes: the greatest height, then the most holders, then the lowest id (as the result's final chain). */
function chainView(tip: Int32Array): ChainView {
  const height = run!.blocks!.height;
  const holders = new Map<number, number>();
  let online = 0;
  for (let v = 0; v < tip.length; v++) {
    if (!isOnline[v]) continue;
    online++;
    holders.set(tip[v]!, (holders.get(tip[v]!) ?? 0) + 1);
  }
  let best = 0;
  for (const [x, k] of holders) {
    const b = holders.get(best) ?? 0;
    if (height[x]! > height[best]! || (height[x] === height[best] && (k > b || (k === b && x < best)))) best = x;
  }
  return { tip, best, holders, online };
}

/**
 * The chain's tips among the online nodes, whether they all agree, and the last block's time to
 * consistency as the page measures it (state.ts, agreementTimes): when it first was in every online
 * node's chain.
 */
function chainPanel(r: VizRun, chain: ChainView, t: number): void {
  const { tip, best, holders, online } = chain;
  const height = r.blocks!.height;
  const show = (id: string, text: string) => {
    const el = $(id);
    if (el.textContent !== text) el.textContent = text;
  };
  show('best-tip', best === 0 ? 'genesis' : `#${best} at height ${height[best]}, on ${holders.get(best) ?? 0} of ${online}`);
  show('tips', String(holders.size));
  const agree = holders.size <= 1;
  show('agree', agree ? 'yes' : `no: ${online - (holders.get(best) ?? 0)} nodes on other tips`);
  $('agree').dataset.agree = agree ? 'yes' : 'no';
  const x = lastBlock(r, t);
  const consistency = $('consistency');
  if (x === 0 || height[x]! < 0) {
    show('consistency', x === 0 ? '—' : 'never mined: its miner was offline');
    consistency.dataset.ms = '';
    return;
  }
  let times = agreement.get(x);
  if (!times) agreement.set(x, (times = agreementTimes(r, x)));
  const created = r.createdMs[x - 1]!;
  const first = times[0];
  if (first !== undefined && first <= t) {
    const lost = times.filter((y) => y <= t).length % 2 === 0;
    show('consistency', `${(first - created).toFixed(0)} ms after it was found${lost ? ' (since left some chains)' : ''}`);
    consistency.dataset.ms = String(first - created);
  } else {
    const has = descendants(r, x);
    let k = 0;
    for (let v = 0; v < tip.length; v++) if (isOnline[v] && has[tip[v]!]) k++;
    show('consistency', `not yet: in ${k} of ${online} chains`);
    consistency.dataset.ms = '';
  }
}

/** The region cut off at t, from the clicks (the run's schedule holds the same windows). */
function partitionAt(t: number): string {
  let out = 'none';
  for (const e of events) {
    if (e.atMs > t) break;
    if (e.kind === 'split') out = `${e.region} cut off since ${(e.atMs / 1000).toFixed(1)} s`;
    if (e.kind === 'heal') out = 'none';
  }
  return out;
}

const fmt = (ms: number) => (Number.isNaN(ms) ? '—' : `${ms.toFixed(0)} ms`);

function panel(cov: Coverage | null): void {
  if (!cov || !run) return;
  const share = cov.onlineNodes ? (100 * cov.reached) / cov.onlineNodes : 0;
  const kind = run.protocolOf[cov.message];
  const at = `at ${(cov.createdMs / 1000).toFixed(3)} s`;
  $('message').textContent =
    kind === 'block'
      ? `block #${cov.message + 1} by node ${cov.origin} ${at}`
      : kind === 'transaction'
        ? `transaction #${cov.message - run.blocks!.height.length + 2} from node ${cov.origin} ${at}`
        : `#${cov.message} from node ${cov.origin} ${at} by ${kind}`;
  $('coverage').textContent = `${share.toFixed(1)} %`;
  $('t50').textContent = fmt(cov.t50);
  $('t90').textContent = fmt(cov.t90);
  $('t100').textContent = fmt(cov.t100);
  plot(cov);
}

/**
 * The adversary's guess of the last transaction's origin, read off the run's `anonymity` section (the
 * result's own estimators, src/models/gossip/anonymity.ts), shown once a spy has had the transaction:
 * the guess is fixed by the first spy's receipt, and the page does not show what the spies cannot know yet.
 */
function adversaryPanel(r: VizRun, cov: Coverage | null, t: number): void {
  const a = r.anonymity;
  if (!a || !net) return;
  const first = a.estimators[0]!;
  $('recall').textContent = first.messages ? `${(100 * first.recall).toFixed(0)} % of ${first.messages}` : '—';
  const guess = $('guess');
  const right = $('guess-right');
  if (!cov) return;
  const m = cov.message;
  const g = a.guesses.find((x) => x.message === m);
  let text = '—';
  let verdict = '';
  if (!g) text = 'sent by a spy (not counted)';
  else {
    const n = net.nodes;
    let seenAt = Infinity;
    for (let v = 0; v < n; v++) if (net.spies![v] && r.firstMs[m * n + v]! < seenAt) seenAt = r.firstMs[m * n + v]!;
    const stem = a.estimators.length > 1 ? ` (first-stem: node ${g.guesses[1]})` : '';
    if (g.guesses[0]! < 0) text = 'no spy ever has it';
    else if (!(seenAt <= t)) text = 'no spy has it yet';
    else {
      text = `node ${g.guesses[0]}${stem}, at ${((seenAt - cov.createdMs) / 1000).toFixed(3)} s`;
      verdict = g.guesses[0] === g.origin ? 'right' : `wrong (it was node ${g.origin})`;
    }
  }
  if (guess.textContent !== text) guess.textContent = text;
  guess.dataset.guess = g && text.startsWith('node ') ? String(g.guesses[0]) : '';
  if (right.textContent !== verdict) right.textContent = verdict;
}

/** Coverage of the nodes online now against time since the broadcast was created. */
function plot(cov: Coverage): void {
  const canvas = $<HTMLCanvasElement>('plot');
  const ctx = canvas.getContext('2d')!;
  const w = canvas.width;
  const h = canvas.height;
  ctx.clearRect(0, 0, w, h);
  ctx.strokeStyle = '#ddd';
  ctx.strokeRect(0.5, 0.5, w - 1, h - 1);
  const span = Math.max(100, cov.curve.length ? cov.curve[cov.curve.length - 1]! * 1.1 : 100);
  ctx.strokeStyle = '#ff8c00';
  ctx.lineWidth = 2;
  ctx.beginPath();
  ctx.moveTo(0, h);
  cov.curve.forEach((x, i) => ctx.lineTo((x / span) * w, h - ((i + 1) / Math.max(1, cov.onlineNodes)) * h));
  ctx.stroke();
  ctx.fillStyle = '#666';
  ctx.font = '10px sans-serif';
  ctx.fillText(`${span.toFixed(0)} ms`, w - 46, h - 4);
}

wire();
requestAnimationFrame(frame);
fetch('./scenario.json')
  .then((r) => r.json() as Promise<{ written: Record<string, unknown>; spare: number }>)
  .then(({ written, spare }) => send({ type: 'init', written, spare }))
  .catch((e: unknown) => showError(String(e)));
