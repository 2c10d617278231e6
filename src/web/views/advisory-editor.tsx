import type { FieldProblem } from '../../app/accounts.js';
import { CREDIT_TYPES, REFERENCE_TYPES } from '../../domain/advisories/schema.js';
import type { Policy } from '../../domain/policy/schema.js';
import { JUSTIFICATIONS, type FormValues } from '../advisory-form.js';
import { CsrfField, ProblemSummary } from './team-form-parts.js';

export interface AdvisoryEditorProps {
  policy: Policy;
  values: FormValues;
  problems: FieldProblem[];
  csrf: string;
  /** Where the form posts: /team/advisories (a new draft) or /team/advisories/<ident>. */
  action: string;
  submitLabel: string;
  /** A published advisory: the change needs a summary, which becomes its revision's. */
  published: boolean;
  /** Per policy image: tags of the inventory that receive advisories, to pick fixed tags from. */
  inventoryTags: string[][];
}

const JUSTIFICATION_WORDS: Record<(typeof JUSTIFICATIONS)[number], string> = {
  component_not_present: 'The component is not present',
  vulnerable_code_not_present: 'The vulnerable code is not present',
  vulnerable_code_cannot_be_controlled_by_adversary: 'The vulnerable code cannot be controlled by an attacker',
  vulnerable_code_not_in_execute_path: 'The vulnerable code is not in the execute path',
  inline_mitigations_already_exist: 'Mitigations already exist in the image',
};

interface InputProps {
  name: string;
  label: string;
  p: AdvisoryEditorProps;
  hint?: string;
  rows?: number;
  required?: boolean;
  maxLength?: number;
  mono?: boolean;
}

/** A field's problems in one paragraph (its id is what the field's aria-describedby names). */
function Problems({ name, problems }: { name: string; problems: FieldProblem[] }) {
  const mine = problems.filter((x) => x.field === name);
  if (mine.length === 0) return null;
  return (
    <p class="hint problem" id={`f-${name}-problem`}>
      {mine.map((x) => x.message).join(' ')}
    </p>
  );
}

function describedBy(name: string, hint: string | undefined, problems: FieldProblem[]): string | undefined {
  const ids = [hint ? `f-${name}-hint` : '', problems.some((x) => x.field === name) ? `f-${name}-problem` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

function Input({ name, label, p, hint, required, maxLength, mono }: InputProps) {
  const bad = p.problems.some((x) => x.field === name);
  return (
    <div class="field">
      <label for={`f-${name}`}>{label}</label>
      {hint && (
        <p class="hint" id={`f-${name}-hint`}>
          {hint}
        </p>
      )}
      <input
        id={`f-${name}`}
        name={name}
        type="text"
        class={mono ? 'mono' : undefined}
        value={p.values[name] ?? ''}
        required={required}
        maxLength={maxLength}
        aria-invalid={bad ? 'true' : undefined}
        aria-describedby={describedBy(name, hint, p.problems)}
      />
      <Problems name={name} problems={p.problems} />
    </div>
  );
}

function Area({ name, label, p, hint, rows = 4, required, mono }: InputProps) {
  const bad = p.problems.some((x) => x.field === name);
  return (
    <div class="field">
      <label for={`f-${name}`}>{label}</label>
      {hint && (
        <p class="hint" id={`f-${name}-hint`}>
          {hint}
        </p>
      )}
      <textarea id={`f-${name}`} name={name} rows={rows} required={required} class={mono ? 'mono' : undefined} aria-invalid={bad ? 'true' : undefined} aria-describedby={describedBy(name, hint, p.problems)}>
        {p.values[name] ?? ''}
      </textarea>
      <Problems name={name} problems={p.problems} />
    </div>
  );
}

function ImageFields({ p, i, name }: { p: AdvisoryEditorProps; i: number; name: string }) {
  const on = p.values[`img${i}`] === 'yes';
  const tags = p.inventoryTags[i] ?? [];
  const justification = p.values[`img${i}_na_justification`] ?? '';
  return (
    <fieldset>
      <legend class="mono">{name}</legend>
      <div class="field">
        <label>
          <input type="checkbox" name={`img${i}`} value="yes" checked={on} /> This advisory is about {name}
        </label>
        <Problems name={`img${i}`} problems={p.problems} />
      </div>
      <Area name={`img${i}_versions`} label="Affected versions" p={p} rows={2} mono hint="One range a line: 5.0.0..5.2.2 is from 5.0.0 up to, not including, 5.2.2; 5.0.0..=5.2.1 includes 5.2.1; 5.0.0.. has no fix yet; 0.. is every version." />
      <Input name={`img${i}_variants`} label="Only these variants" p={p} mono hint="Comma-separated, e.g. apache (empty: every variant)." />
      <Area name={`img${i}_tags`} label="Affected tags" p={p} rows={2} mono hint="Tags named one by one, a line or comma each; tag@sha256:… for an earlier image of a tag that has moved since." />
      <Area
        name={`img${i}_fixed`}
        label="Fixed tags"
        p={p}
        rows={2}
        mono
        hint={`One tag a line, from the image inventory (its digest is filled in from there); "latest replaces sha256:…" for a rebuild pushed under the same tag.${tags.length ? ` Tags that receive advisories: ${tags.join(', ')}.` : ' The inventory holds no tag of this repository yet.'}`}
      />
      <details open={!!(p.values[`img${i}_na_statement`] || p.values[`img${i}_na_variants`] || p.values[`img${i}_na_tags`] || justification)}>
        <summary>Not affected (VEX)</summary>
        <Input name={`img${i}_na_variants`} label="Variants not affected" p={p} mono hint="Comma-separated, e.g. fpm." />
        <Input name={`img${i}_na_tags`} label="Tags not affected" p={p} mono />
        <div class="field">
          <label for={`f-img${i}_na_justification`}>Why not</label>
          <select id={`f-img${i}_na_justification`} name={`img${i}_na_justification`}>
            <option value="">—</option>
            {JUSTIFICATIONS.map((j) => (
              <option value={j} selected={j === justification}>
                {JUSTIFICATION_WORDS[j]}
              </option>
            ))}
          </select>
          <Problems name={`img${i}_na_justification`} problems={p.problems} />
        </div>
        <Input name={`img${i}_na_statement`} label="Statement for operators" p={p} />
      </details>
    </fieldset>
  );
}

/** The advisory editor: server-rendered, every field labelled, each problem next to its field. */
export function AdvisoryEditor(p: AdvisoryEditorProps) {
  return (
    <form method="post" action={p.action} class="card" id="editor" novalidate>
      <CsrfField token={p.csrf} />
      <h2>{p.published ? 'Change the published advisory' : 'Advisory'}</h2>
      <ProblemSummary problems={p.problems} />
      {p.published && <Area name="changeSummary" label="What changed" p={p} rows={2} required hint="Published with the new revision, e.g. “Added 6.0.1-fpm as fixed.”" />}
      <Input name="reports" label="Reports" p={p} hint="The reports this advisory discloses, by number (e.g. 3, 7). They are disclosed when it is published." />
      <Input name="title" label="Title" p={p} required maxLength={200} />
      <Input name="summary" label="Summary" p={p} required maxLength={400} hint="One line of plain text." />
      <Area name="details" label="Details" p={p} rows={8} required hint="Markdown: what is wrong, who is affected, what an attacker can do." />
      <div class="grid-2">
        <Input name="cvss31" label="CVSS 3.1 vector" p={p} mono hint="CVSS:3.1/AV:N/AC:L/…" />
        <Input name="cvss40" label="CVSS 4.0 vector" p={p} mono hint="CVSS:4.0/AV:N/AC:L/AT:N/…" />
      </div>
      <Input name="cwe" label="CWE" p={p} mono hint="Comma-separated, e.g. CWE-552." />
      <div class="grid-2">
        <Input name="aliases" label="Aliases" p={p} mono hint="The same vulnerability elsewhere: CVE-…, GHSA-…" />
        <Input name="upstream" label="Upstream vulnerabilities" p={p} mono hint="For a base-image flaw: the upstream CVE." />
      </div>
      <h3>Images</h3>
      {p.problems.some((x) => x.field === 'images') && <Problems name="images" problems={p.problems} />}
      {p.policy.project.images.length === 0 && <p class="notice warn">The policy names no image repository.</p>}
      {p.policy.project.images.map((img, i) => (
        <ImageFields p={p} i={i} name={img.name} />
      ))}
      <Area name="remediation" label="Remediation" p={p} rows={3} hint="Steps after moving to a fixed image (Markdown). The tag to move to is named for each affected tag." />
      <Area name="workarounds" label="Workarounds" p={p} rows={3} hint="Separate workarounds with an empty line." />
      <Area name="references" label="References" p={p} rows={3} mono hint={`One a line: [type] URL [summary]; types: ${REFERENCE_TYPES.join(', ')} (web when none).`} />
      <Area name="credits" label="Credits" p={p} rows={3} hint={`One a line: type: Name | contact URLs; types: ${CREDIT_TYPES.join(', ')}. Reporters who asked to stay anonymous are not named.`} />
      <div class="actions">
        <button type="submit">{p.submitLabel}</button>
      </div>
    </form>
  );
}
