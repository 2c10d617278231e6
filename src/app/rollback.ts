import type { Db } from '../adapters/db/open-database.js';

/**
 * An expected outcome found half-way through a transaction (the e-mail is taken after all) must
 * undo what the transaction already wrote and still come back as a return value, not a fault.
 */
class Rollback<T> {
  constructor(readonly result: T) {}
}

export const rollbackWith = <T>(result: T): never => {
  throw new Rollback(result);
};

export async function transactionWithOutcomes<T>(db: Db, work: (trx: Db) => Promise<T>): Promise<T> {
  try {
    return await db.transaction().execute(work);
  } catch (e) {
    if (e instanceof Rollback) return e.result as T;
    throw e;
  }
}
