import type { AdminNotice } from '../../app/admin-notices.js';

/** Open admin notices (e.g. "security.txt expires soon"), each with a dismiss button. */
export function AdminNotices({ notices, csrf }: { notices: AdminNotice[]; csrf: string }) {
  if (notices.length === 0) return null;
  return (
    <section aria-label="Notices for admins">
      {notices.map((n) => (
        <div class={`notice ${n.level === 'bad' ? 'bad' : n.level === 'warn' ? 'warn' : 'info'}`}>
          <form method="post" action={`/team/notices/${encodeURIComponent(n.key)}/dismiss`} class="actions">
            <input type="hidden" name="_csrf" value={csrf} />
            <span>{n.message}</span>
            <button type="submit" class="link">
              Dismiss
            </button>
          </form>
        </div>
      ))}
    </section>
  );
}
