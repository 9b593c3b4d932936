import type { CallError } from '../../../electron/contract'

/** A failed call, as the user should read it: the message (the server's own text), and its code. */
export function ErrorText({ error, context, hint }: { error: CallError; context?: string; hint?: string | null }) {
  return (
    <p className="error" role="alert">
      {context ? <strong>{context}: </strong> : null}
      {error.message}
      <span className="code">
        {' '}
        ({error.code}
        {error.number !== undefined ? ` ${error.number}` : ''})
      </span>
      {hint ? <span className="hint-line">{hint}</span> : null}
    </p>
  )
}
