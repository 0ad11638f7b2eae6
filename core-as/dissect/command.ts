// The client command of a line-based text protocol: a keyword from the protocol's list, then
// its argument up to the end of the line. FTP and POP3 keywords are three or four characters
// (RFC 959 §5.3, RFC 1939 §3), separated from the argument by blanks.
import { inWordList, lineEnd, skipBlanks, tokenEnd } from "../util/ascii";

/** Where the keyword ends and the argument starts and ends (set by readCommand). */
export let commandEnd: usize = 0;
export let argumentStart: usize = 0;
export let argumentEnd: usize = 0;

/** Reads the command line at p; false when it does not start with one of `keywords`. */
export function readCommand(p: usize, end: usize, keywords: string): bool {
  const word = tokenEnd(p, end);
  const n = word - p;
  if (n < 3 || n > 4 || !inWordList(p, n, keywords)) return false;
  commandEnd = word;
  argumentStart = skipBlanks(word, end);
  argumentEnd = lineEnd(argumentStart, end);
  return true;
}
