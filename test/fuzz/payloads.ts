/**
 * The hostile-text corpus of issue #7: what attackers put into text fields to break out of the
 * context the text lands in (HTML, attributes, URLs, SQL, paths, mail headers, JSON) or to mislead
 * the reader (direction overrides, zero-width characters, look-alike letters). Each payload goes
 * through every text field in test/fuzz/payloads.test.ts.
 */
export interface Payload {
  name: string;
  text: string;
  /** Holds a line break: refused by single-line fields (titles, names), kept by multi-line ones. */
  multiline?: boolean;
  /** Holds a character no text may hold (NUL): refused everywhere with a clear 400. */
  refused?: boolean;
}

export const PAYLOADS: readonly Payload[] = [
  { name: 'script tag', text: '<script>alert(document.domain)</script>' },
  { name: 'script tag, mixed case and attributes', text: '<ScRiPt src="https://evil.example/x.js"></sCrIpT>' },
  { name: 'event handler attribute', text: '"><img src=x onerror=alert(1)>' },
  { name: 'single-quoted attribute break', text: "' onmouseover='alert(1)' x='" },
  { name: 'svg onload', text: '<svg/onload=alert(1)>' },
  { name: 'javascript: URL', text: 'javascript:alert(1)' },
  { name: 'javascript: link in Markdown', text: '[click me](javascript:alert(1)) and <a href="javascript:alert(1)">x</a>' },
  { name: 'data: URL', text: 'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==' },
  { name: 'style and iframe', text: '<style>body{display:none}</style><iframe src="https://evil.example/"></iframe>' },
  { name: 'HTML comment and CDATA', text: '<!-- x --><![CDATA[ <script>alert(1)</script> ]]>' },
  { name: 'entities', text: '&lt;script&gt;alert(1)&lt;/script&gt; &#60;b&#62; &amp;amp;' },
  { name: 'SQL quotes', text: "Robert'); DROP TABLE reports;-- \" OR 1=1 --" },
  { name: 'path traversal', text: '../../../../etc/passwd ..\\..\\windows\\win.ini %2e%2e%2f' },
  { name: 'CRLF header injection', text: 'Subject: x\r\nBcc: victim@evil.example\r\n\r\n<b>body</b>', multiline: true },
  { name: 'bare LF header injection', text: 'x\nContent-Type: text/html\n\n<script>alert(1)</script>', multiline: true },
  { name: 'right-to-left override', text: 'invoice\u202Efdp.exe and \u202Bembedded\u202C \u2067isolate\u2069' },
  { name: 'zero-width characters', text: 'pay\u200Bpal\u200C\u200D\uFEFF.example' },
  { name: 'homoglyph e-mail address', text: 'p\u0430yp\u0430l@ex\u0430mple.org' },
  { name: 'JSON breaker', text: '","admin":true,"x":"\\u0022}]}' },
  { name: 'template syntax', text: '{{7*7}} ${7*7} <%= 7*7 %> #{7*7}' },
  { name: 'very long', text: `${'A'.repeat(190)}<script>` },
  { name: 'NUL byte', text: 'before\u0000after', refused: true },
];

/** The homoglyph address itself, as a reporter would type it into the e-mail field. */
export const HOMOGLYPH_EMAIL = 'p\u0430yp\u0430l@ex\u0430mple.org';
