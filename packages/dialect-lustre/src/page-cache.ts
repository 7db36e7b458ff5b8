import { StampedCache } from '@rosetta/http';
import { TastypieReply } from './tastypie';
import { pythonJson } from './wire-json';

/** An answer that is not a page (an error, a raw body): shared with the requests waiting on it, never kept. */
class NotAPage {
  constructor(readonly reply: TastypieReply) {}
}

/**
 * Serialised list pages by URL, valid while the domain's change stamp stays put (a 1,000-target
 * page is about 2 MB, hence the byte budget). Pages are serialised here, in Python's JSON.
 */
export class PageCache {
  private readonly pages: StampedCache;

  constructor(maxBytes = 32 * 1024 * 1024) {
    this.pages = new StampedCache(maxBytes);
  }

  async serve(key: string, stamp: () => Promise<string>, render: () => Promise<TastypieReply>): Promise<TastypieReply> {
    // The stamp is read before the rows, so a page stored under it is never older than the stamp says.
    const current = await stamp();
    try {
      const json = await this.pages.get(key, current, async () => {
        const reply = await render();
        if (reply.status !== 200 || reply.body === undefined || typeof reply.body === 'string' || Buffer.isBuffer(reply.body)) throw new NotAPage(reply);
        return Buffer.from(pythonJson(reply.body), 'utf8');
      });
      return new TastypieReply(200, json, { 'Content-Type': 'application/json' });
    } catch (err) {
      if (err instanceof NotAPage) return err.reply;
      throw err;
    }
  }
}
