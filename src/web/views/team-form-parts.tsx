import type { FieldProblem } from '../../app/accounts.js';

/** Small pieces shared by the team's forms. */

export const CsrfField = ({ token }: { token: string }) => <input type="hidden" name="_csrf" value={token} />;

export function ProblemSummary({ problems }: { problems?: FieldProblem[] }) {
  if (!problems?.length) return null;
  return (
    <div class="notice bad" role="alert">
      <p>Please correct the following:</p>
      <ul>
        {problems.map((p) => (
          <li>{p.message}</li>
        ))}
      </ul>
    </div>
  );
}

export interface FieldProps {
  name: string;
  label: string;
  type?: 'text' | 'email' | 'password';
  value?: string;
  problems?: FieldProblem[];
  hint?: string;
  autocomplete?: string;
  required?: boolean;
  inputMode?: 'numeric';
  pattern?: string;
  maxLength?: number;
  autofocus?: boolean;
}

/** A labelled input with its hint and its own problem next to it. */
export function Field({ name, label, type = 'text', value, problems, hint, autocomplete, required = true, inputMode, pattern, maxLength, autofocus }: FieldProps) {
  const mine = problems?.filter((p) => p.field === name) ?? [];
  const id = `f-${name}`;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <input
        id={id}
        name={name}
        // preact types each input type separately; these three accept the same attributes here
        type={type as 'text'}
        value={type === 'password' ? undefined : value}
        autocomplete={autocomplete}
        required={required}
        inputMode={inputMode}
        pattern={pattern}
        maxLength={maxLength}
        autofocus={autofocus}
        aria-invalid={mine.length > 0 ? 'true' : undefined}
        aria-describedby={hint ? `${id}-hint` : undefined}
      />
      {mine.map((p) => (
        <p class="hint problem">{p.message}</p>
      ))}
    </div>
  );
}
