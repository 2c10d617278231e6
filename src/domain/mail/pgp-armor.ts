/**
 * Inline OpenPGP in a mail's text (RFC 4880 section 6.2 armor): encrypted messages, clear-signed
 * text and public keys pasted into the body. Only armor that starts a line counts; quoted armor
 * ("> -----BEGIN PGP MESSAGE-----") is a quote of an earlier mail, not this one.
 */

export type ArmorKind = 'message' | 'signed-message' | 'public-key';

export interface ArmorBlock {
  kind: ArmorKind;
  /** Character offsets of the block in the text (end exclusive, after the END line). */
  start: number;
  end: number;
  text: string;
}

const BLOCKS: { kind: ArmorKind; begin: string; end: string }[] = [
  { kind: 'message', begin: 'BEGIN PGP MESSAGE', end: 'END PGP MESSAGE' },
  { kind: 'signed-message', begin: 'BEGIN PGP SIGNED MESSAGE', end: 'END PGP SIGNATURE' },
  { kind: 'public-key', begin: 'BEGIN PGP PUBLIC KEY BLOCK', end: 'END PGP PUBLIC KEY BLOCK' },
];

/** Every armored block in the text, in order; blocks without their END line are left out. */
export function findArmorBlocks(text: string): ArmorBlock[] {
  const found: ArmorBlock[] = [];
  const begin = /^-----(BEGIN PGP (?:MESSAGE|SIGNED MESSAGE|PUBLIC KEY BLOCK))-----[ \t]*\r?$/gm;
  for (let m = begin.exec(text); m; m = begin.exec(text)) {
    const rule = BLOCKS.find((b) => b.begin === m![1])!;
    const endRe = new RegExp(`^-----${rule.end}-----[ \\t]*\\r?$`, 'm');
    const rest = text.slice(m.index);
    const e = endRe.exec(rest);
    if (!e) continue;
    const end = m.index + e.index + e[0].length;
    found.push({ kind: rule.kind, start: m.index, end, text: text.slice(m.index, end) });
    begin.lastIndex = end;
  }
  return found;
}

/** The text around one block, trimmed: what the sender wrote outside the armor. */
export function textAround(text: string, block: ArmorBlock): string {
  return `${text.slice(0, block.start).trim()}\n\n${text.slice(block.end).trim()}`.trim();
}
