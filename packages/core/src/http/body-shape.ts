/**
 * The shape of a body measured on its text, in one linear pass and without recursion, so a limit
 * holds before the parser builds anything (see `body-parser.ts`).
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

function isJsonSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

/**
 * Which limit JSON `text` exceeds first, if any: `depth` counts nested objects/arrays (the outermost
 * is 1); `fields` counts object members plus array items anywhere in the body. A value is counted
 * as the first one of its container, or after each comma; strings are skipped whole. Malformed
 * text is measured as far as it goes (JSON.parse refuses it next).
 */
export function checkJsonShape(text: string, maxDepth: number, maxFields: number): 'depth' | 'fields' | undefined {
  let depth = 0;
  let fields = 0;
  let justOpened = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (isJsonSpace(code)) continue;
    if (justOpened) {
      justOpened = false;
      if (code !== CLOSE_OBJECT && code !== CLOSE_ARRAY && ++fields > maxFields) return 'fields';
    }
    if (code === QUOTE) {
      i = endOfString(text, i);
    } else if (code === OPEN_OBJECT || code === OPEN_ARRAY) {
      if (++depth > maxDepth) return 'depth';
      justOpened = true;
    } else if (code === CLOSE_OBJECT || code === CLOSE_ARRAY) {
      depth--;
    } else if (code === COMMA && ++fields > maxFields) {
      return 'fields';
    }
  }
  return undefined;
}

/** Index of the quote closing the string opened at `start` (or the end of the text). */
function endOfString(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === BACKSLASH) i++;
    else if (code === QUOTE) return i;
  }
  return text.length;
}

/** Parameters of a form body: `&`-separated pairs, empty ones not counted (as qs does). */
export function countFormFields(text: string): number {
  let count = 0;
  let pairStart = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i === text.length || text.charCodeAt(i) === 0x26) {
      if (i > pairStart) count++;
      pairStart = i + 1;
    }
  }
  return count;
}
