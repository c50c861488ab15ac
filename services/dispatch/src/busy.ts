/**
 * FerretDB on SQLite answers concurrent writes with "database is locked (SQLITE_BUSY)" instead of
 * waiting. That is transient: retry the operation briefly here rather than fail (and back off) the
 * whole message. Other errors pass through unchanged. A no-op on MongoDB, which never says this.
 */
export async function retryBusy<T>(op: () => Promise<T>, attempts = 30): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await op();
    } catch (err) {
      if (i >= attempts || !/SQLITE_BUSY|database is locked/.test(String((err as Error)?.message))) throw err;
      await new Promise((r) => setTimeout(r, Math.min(100, 2 * 2 ** Math.min(i, 6)) * (0.5 + Math.random())));
    }
  }
}
