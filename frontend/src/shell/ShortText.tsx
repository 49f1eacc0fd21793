/**
 * Tenant text quoted in a finding (a node's label, a status's name) can be thousands of characters long (QA 16:
 * a 5,000-character label filled the findings panel). Each quoted run — 「…」 or “…” — and any over-long plain
 * text is cut to a few dozen characters with an ellipsis, and the full text is the hover title. React sets the
 * title as an attribute and the text as a text node, so tenant text is never parsed as HTML.
 */

/** Characters of one quoted run kept in view; the whole text shows on hover. */
export const QUOTE_MAX = 40;
/** Characters of a whole line (a place, a message) kept in view. */
export const LINE_MAX = 300;

const QUOTED = /(「[^」]*」|“[^”]*”)/;

/** The text cut to `max` characters (counted by code point, so no surrogate pair is split), with "…". */
export function cut(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}

/**
 * A finding's sentence with every long quotation shortened (its full text on hover). With `max`, the text is one
 * piece of tenant text (a node's label on the canvas or in the property panel) cut whole to `max` characters.
 */
export function ShortText({ text, testId, max }: { text: string; testId?: string; max?: number }) {
  if (max !== undefined) {
    return Array.from(text).length <= max ? <span data-testid={testId}>{text}</span>
      : <span data-testid={testId} className="quoted-cut" title={text}>{cut(text, max)}</span>;
  }
  const parts = text.split(QUOTED);
  const long = parts.some((part, i) => i % 2 === 1 && Array.from(part).length > QUOTE_MAX + 2);
  if (!long && Array.from(text).length <= LINE_MAX) return <span data-testid={testId}>{text}</span>;
  return (
    <span data-testid={testId} title={text}>
      {parts.map((part, i) => {
        if (i % 2 === 0) return <span key={i}>{cut(part, LINE_MAX)}</span>;
        const [open, inner, close] = [part[0], part.slice(1, -1), part[part.length - 1]];
        return Array.from(inner).length > QUOTE_MAX
          ? <span key={i} className="quoted-cut" title={inner}>{open}{cut(inner, QUOTE_MAX)}{close}</span>
          : <span key={i}>{part}</span>;
      })}
    </span>
  );
}
