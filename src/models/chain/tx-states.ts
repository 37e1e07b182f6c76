// What each node of a shard knows of each transaction: nothing, asked for it, or has it. Two bits per
// (node, transaction), node-major, 16 to an int32. Why packed: an inv names up to 43 consecutive ids
// near the newest, so a node's states in use at any moment are a short run of its row; at a byte each
// the shard's nodes kept ~4 cache lines each of them warm, at two bits one, and the state table of the
// hour-long load at 10,000 nodes is 63 MB, not 252.

export const NONE = 0;
export const REQUESTED = 1;
export const HAVE = 2;
export type TxState = typeof NONE | typeof REQUESTED | typeof HAVE;

/** Bits 0, 2, 4, ... of a word: the low bit of each state. */
const LOW_BITS = 0x55555555;

export class TxStates {
  private readonly words: Int32Array;
  private readonly rowWords: number;

  constructor(nodes: number, transactions: number) {
    this.rowWords = (transactions + 15) >>> 4;
    this.words = new Int32Array(nodes * this.rowWords);
  }

  get(local: number, k: number): number {
    return (this.words[local * this.rowWords + (k >>> 4)]! >>> ((k & 15) << 1)) & 3;
  }

  set(local: number, k: number, state: TxState): void {
    const at = local * this.rowWords + (k >>> 4);
    const shift = (k & 15) << 1;
    this.words[at] = (this.words[at]! & ~(3 << shift)) | (state << shift);
  }

  /** Every transaction the node asked for and has not got goes back to NONE. */
  forgetRequests(local: number): void {
    for (let at = local * this.rowWords, stop = at + this.rowWords; at < stop; at++) {
      const w = this.words[at]!;
      // REQUESTED is low bit set, high bit clear.
      this.words[at] = w & ~(w & ~(w >>> 1) & LOW_BITS);
    }
  }
}
