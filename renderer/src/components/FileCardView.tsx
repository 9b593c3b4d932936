import type { FileCard } from '../store/files/initialState'
import { filesSelectors } from '../store/files/selectors'
import { useApp } from '../store-context'
import { ErrorText } from './ErrorText'
import { InspectionStatus } from './InspectionStatus'
import { PreviewGrid } from './PreviewGrid'

const ORIGIN: Record<FileCard['entry']['origin'], string> = { path: 'file', upload: 'uploaded', paste: 'pasted' }

export function FileCardView({ card, selected }: { card: FileCard; selected: boolean }) {
  const a = useApp((s) => ({ select: s.selectFile, remove: s.removeFile, preview: s.previewFile }))
  const { entry, preview } = card
  const detected = filesSelectors.describeDetected(card)
  return (
    <li className={`file-card${selected ? ' selected' : ''}`} aria-label={entry.name}>
      <div className="file-card-head">
        <strong className="file-name">{entry.name}</strong>
        <span className="hint">
          {filesSelectors.formatSize(entry.size)} · {ORIGIN[entry.origin]}
          {detected ? ` · ${detected}` : ''}
        </span>
        <span className="spacer" />
        {selected ? (
          <span className="badge">Selected for loading</span>
        ) : (
          <button type="button" className="small" onClick={() => a.select(entry.fileId)}>
            Use this file
          </button>
        )}
        <button type="button" className="small secondary" aria-label={`Remove ${entry.name}`} onClick={() => void a.remove(entry.fileId)}>
          Remove
        </button>
      </div>
      {preview.status === 'busy' ? <p className="hint">Reading the first rows…</p> : null}
      {preview.status === 'error' ? (
        <div>
          <ErrorText error={preview.error} context="Preview" />
          <button type="button" className="small secondary" onClick={() => void a.preview(entry.fileId)}>
            Retry preview
          </button>
        </div>
      ) : null}
      {preview.status === 'ok' ? <PreviewGrid preview={preview.value} name={entry.name} /> : null}
      <InspectionStatus card={card} />
    </li>
  )
}
