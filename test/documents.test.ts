// PoE documents through the real app on each database: real PDF, DOCX, PNG, DOC, MSG, EML and
// text files are accepted with the type their content says; downloads give the exact bytes
// (whole, by range) with RFC 6266 names; duplicates, limits, deletion (R-POE-2) and
// isolation between organizations (R-ROLE-2).
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDocument } from '../src/documents/documents-commands.js';
import {
  client,
  dbTargets,
  m365Claim,
  seedWorld,
  testApp,
  type TestApp,
  type World,
  contactVerified,
} from './harness.js';
import {
  eml,
  emlWithHtml,
  makeDoc,
  makeDocx,
  makeMsg,
  makeOoxml,
  makePdf,
  makePdfWithLookalikeStream,
  makePng,
  multipart,
} from './poe-fixtures.js';

interface Doc {
  id: string;
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
}

async function storedFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true }).catch(() => [])) {
      if (e.isDirectory()) await walk(join(d, e.name));
      else out.push(e.name);
    }
  };
  await walk(dir);
  return out;
}

describe.each(dbTargets())('PoE documents on %s', (target) => {
  let t: TestApp;
  let w: World;
  let partner: ReturnType<typeof client>;
  const newClaim = async (name = 'PoE claim') => {
    const res = await partner.post('/api/v1/claims', m365Claim({ name }));
    expect(res.statusCode).toBe(201);
    return res.json<{ id: string }>().id;
  };
  beforeAll(async () => {
    t = await testApp(target, { env: { CPOR_MAX_DOCUMENTS_PER_CLAIM: '6' } });
    w = await seedWorld(t);
    partner = client(t.app, w.tokens.partnerA);
  });
  afterAll(async () => t?.close());

  it('accepts real files, typed by their content, and gives back the exact bytes', async () => {
    const id = await newClaim();
    const files: [string, Buffer, string][] = [
      ['Statement of work.pdf', await makePdf('Statement of work, signed 2026-03-01'), 'application/pdf'],
      [
        'Relatório São Paulo.docx',
        await makeDocx('Contoso migrated to Exchange Online'),
        'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      ],
      ['screenshot.png', makePng(64, 48), 'image/png'],
      ['notes.txt', Buffer.from('Workshop notes\nSigned by the customer.\n'), 'text/plain'],
      // Text that starts like a bitmap's magic number ("BM") is still text.
      ['BMW rollout.txt', Buffer.from('BMW rollout: Exchange Online for 400 users.\n'), 'text/plain'],
    ];
    for (const [name, bytes, type] of files) {
      // The client's Content-Type is ignored: the content decides.
      const res = await partner.upload(
        `/api/v1/claims/${id}/documents`,
        name,
        bytes,
        'application/octet-stream',
      );
      expect(res.statusCode, res.body).toBe(201);
      const doc = res.json<Doc>();
      expect(doc).toMatchObject({ fileName: name.normalize('NFC'), contentType: type, size: bytes.length });
      const got = await partner.get(`/api/v1/claims/${id}/documents/${doc.id}`);
      expect(got.statusCode).toBe(200);
      expect(got.rawPayload.equals(bytes)).toBe(true);
      expect(got.headers['content-type']).toContain(type);
      expect(got.headers['x-content-type-options']).toBe('nosniff');
      expect(got.headers['content-disposition']).toMatch(
        /^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''/,
      );
    }
    const list = await partner.get(`/api/v1/claims/${id}/documents`);
    expect(
      list
        .json<{ items: Doc[] }>()
        .items.map((d) => d.fileName)
        .sort(),
    ).toEqual(files.map(([n]) => n.normalize('NFC')).sort());
  });

  it('tells DOC from MSG (both CFB), and EML from text', async () => {
    const id = await newClaim();
    const cases: [string, Buffer, string][] = [
      ['contract.doc', makeDoc(), 'application/msword'],
      ['approval.msg', makeMsg(), 'application/vnd.ms-outlook'],
      ['approval.eml', Buffer.from(eml), 'message/rfc822'],
      // An email's HTML part is ordinary; only scripts are refused in it.
      ['approval-html.eml', Buffer.from(emlWithHtml), 'message/rfc822'],
      // Bytes inside a PDF stream that look like /JavaScript are data, not names.
      ['scan.pdf', await makePdfWithLookalikeStream(), 'application/pdf'],
    ];
    for (const [name, bytes, type] of cases) {
      const res = await partner.upload(`/api/v1/claims/${id}/documents`, name, bytes);
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json<Doc>().contentType).toBe(type);
    }
    // A DOC named .msg says one thing and holds another.
    const other = await newClaim();
    const lie = await partner.upload(`/api/v1/claims/${other}/documents`, 'mail.msg', makeDoc());
    expect(lie.statusCode).toBe(415);
  });

  it('accepts XLSX and PPTX packages', async () => {
    const id = await newClaim();
    const sheet = makeOoxml(
      [{ name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') }],
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml',
    );
    const res = await partner.upload(`/api/v1/claims/${id}/documents`, 'usage.xlsx', sheet);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json<Doc>().contentType).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
  });

  it('serves byte ranges, RFC 6266 names and inline previews only for safe types', async () => {
    const id = await newClaim();
    const bytes = await makePdf('Range test '.repeat(50));
    const name = "Contrato 'final' 契約 (v2).pdf";
    const up = await partner.upload(`/api/v1/claims/${id}/documents`, name, bytes);
    expect(up.statusCode, up.body).toBe(201);
    const doc = up.json<Doc>();
    const url = `/api/v1/claims/${id}/documents/${doc.id}`;
    const part = await partner.get(url, { range: 'bytes=10-99' });
    expect(part.statusCode).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 10-99/${bytes.length}`);
    expect(part.rawPayload.equals(bytes.subarray(10, 100))).toBe(true);
    const suffix = await partner.get(url, { range: 'bytes=-20' });
    expect(suffix.rawPayload.equals(bytes.subarray(bytes.length - 20))).toBe(true);
    const open = await partner.get(url, { range: `bytes=${bytes.length - 5}-` });
    expect(open.rawPayload.equals(bytes.subarray(bytes.length - 5))).toBe(true);
    const bad = await partner.get(url, { range: `bytes=${bytes.length}-` });
    expect(bad.statusCode).toBe(416);
    expect(bad.headers['content-range']).toBe(`bytes */${bytes.length}`);
    // Several ranges: the whole file is a correct answer.
    const multi = await partner.get(url, { range: 'bytes=0-1,5-6' });
    expect(multi.statusCode).toBe(200);
    expect(multi.rawPayload.equals(bytes)).toBe(true);
    // If-Range with another validator: the whole file.
    const stale = await partner.get(url, { range: 'bytes=0-9', 'if-range': '"other"' });
    expect(stale.statusCode).toBe(200);
    const cd = part.headers['content-disposition'] as string;
    expect(cd).toBe(
      `attachment; filename="Contrato 'final' __ (v2).pdf"; filename*=UTF-8''${encodeURIComponent(name)
        .replace(/'/g, '%27')
        .replace(/\(/g, '%28')
        .replace(/\)/g, '%29')
        .replace(/\*/g, '%2A')}`,
    );
    const filenameStar = /filename\*=UTF-8''(.+)$/.exec(cd)?.[1] ?? '';
    expect(decodeURIComponent(filenameStar)).toBe(name);
    const inline = await partner.get(`${url}?disposition=inline`);
    expect(inline.headers['content-disposition']).toMatch(/^inline;/);
    expect(inline.headers['content-security-policy']).toContain('sandbox');
  });

  it('reports the same file twice on a claim (409) and keeps it once', async () => {
    const id = await newClaim();
    const bytes = await makePdf('Duplicate');
    const first = await partner.upload(`/api/v1/claims/${id}/documents`, 'a.pdf', bytes);
    expect(first.statusCode).toBe(201);
    const again = await partner.upload(`/api/v1/claims/${id}/documents`, 'b.pdf', bytes);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'duplicate_document', status: 409 });
    expect(again.json<{ detail: string }>().detail).toContain('a.pdf');
    const list = await partner.get(`/api/v1/claims/${id}/documents`);
    expect(list.json<{ items: Doc[] }>().items).toHaveLength(1);
  });

  it('replays an upload retried with the same Idempotency-Key', async () => {
    const id = await newClaim();
    const bytes = await makePdf('Idempotent');
    const send = (key: string, body: Buffer) => {
      const { body: payload, contentType } = multipart([
        { name: 'file', fileName: 'sow.pdf', type: 'application/pdf', data: body },
      ]);
      return t.app.inject({
        method: 'POST',
        url: `/api/v1/claims/${id}/documents`,
        headers: {
          authorization: `Bearer ${w.tokens.partnerA}`,
          'content-type': contentType,
          'idempotency-key': key,
        },
        payload,
      });
    };
    const first = await send('upload-1', bytes);
    expect(first.statusCode).toBe(201);
    const retry = await send('upload-1', bytes);
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json()).toEqual(first.json());
    const other = await send('upload-1', await makePdf('Another file'));
    expect(other.statusCode).toBe(422);
    expect(other.json()).toMatchObject({ code: 'idempotency_key_reused' });
    const list = await partner.get(`/api/v1/claims/${id}/documents`);
    expect(list.json<{ items: Doc[] }>().items).toHaveLength(1);
  });

  it('limits the documents of one claim (CPOR_MAX_DOCUMENTS_PER_CLAIM)', async () => {
    const id = await newClaim();
    for (let i = 0; i < 6; i++) {
      const r = await partner.upload(`/api/v1/claims/${id}/documents`, `n${i}.txt`, `note ${i}\n`);
      expect(r.statusCode).toBe(201);
    }
    const over = await partner.upload(`/api/v1/claims/${id}/documents`, 'n6.txt', 'note 6\n');
    expect(over.statusCode).toBe(409);
    expect(over.json()).toMatchObject({ code: 'too_many_documents' });
    // Past the route's early check (a race): the use case refuses too, and frees the bytes it stored.
    const user = await t.database.db
      .selectFrom('users')
      .select(['id', 'name'])
      .where('email', '=', 'global@a.example')
      .executeTakeFirstOrThrow();
    const actor = {
      kind: 'user' as const,
      id: user.id,
      name: user.name,
      roles: ['global_admin' as const],
      organizationId: w.orgA.id,
    };
    const dir = await mkdtemp(join(tmpdir(), 'cpor-race-'));
    const bytes = Buffer.from('a seventh note\n');
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    await writeFile(join(dir, 'f'), bytes);
    await expect(
      addDocument(t.deps, actor, id, {
        path: join(dir, 'f'),
        fileName: 'n7.txt',
        contentType: 'text/plain',
        size: bytes.length,
        sha256,
      }),
    ).rejects.toMatchObject({ code: 'too_many_documents' });
    expect(await t.deps.storage.exists(sha256)).toBe(false);
    await rm(dir, { recursive: true, force: true });
  });

  it('deletes documents of a draft only; submitted and approved claims keep them (R-POE-2)', async () => {
    const id = await newClaim();
    const a = await partner.upload(`/api/v1/claims/${id}/documents`, 'a.txt', 'draft note A\n');
    const b = await partner.upload(`/api/v1/claims/${id}/documents`, 'b.txt', 'draft note B\n');
    const docA = a.json<Doc>();
    const before = await storedFiles(join(t.deps.config.CPOR_DATA_DIR, 'documents'));
    expect(before).toContain(docA.sha256);
    expect(
      (await client(t.app, w.tokens.readerA).delete(`/api/v1/claims/${id}/documents/${docA.id}`)).statusCode,
    ).toBe(403);
    expect((await partner.delete(`/api/v1/claims/${id}/documents/${docA.id}`)).statusCode).toBe(204);
    expect((await partner.get(`/api/v1/claims/${id}/documents/${docA.id}`)).statusCode).toBe(404);
    // Its bytes went too: no other document holds them.
    expect(await storedFiles(join(t.deps.config.CPOR_DATA_DIR, 'documents'))).not.toContain(docA.sha256);
    expect((await partner.post(`/api/v1/claims/${id}/submit`)).statusCode).toBe(200);
    const docB = b.json<Doc>();
    const refused = await partner.delete(`/api/v1/claims/${id}/documents/${docB.id}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'edit_not_allowed' });
    const reviewer = client(t.app, w.tokens.reviewer);
    expect((await reviewer.post(`/api/v1/claims/${id}/start-review`)).statusCode).toBe(200);
    expect((await reviewer.post(`/api/v1/claims/${id}/approve`, contactVerified)).statusCode).toBe(200);
    const late = await partner.upload(
      `/api/v1/claims/${id}/documents`,
      'late.pdf',
      await makePdf('Added after approval'),
    );
    expect(late.statusCode, late.body).toBe(201);
    const history = await partner.get(`/api/v1/claims/${id}/history`);
    const types = history.json<{ items: { type: string }[] }>().items.map((h) => h.type);
    expect(types.filter((x) => x === 'document_added')).toHaveLength(3);
    expect(types).toContain('document_deleted');
  });

  it('keeps shared bytes while another claim holds them', async () => {
    const one = await newClaim('one');
    const two = await newClaim('two');
    const bytes = await makePdf('Shared statement');
    const a = (await partner.upload(`/api/v1/claims/${one}/documents`, 'a.pdf', bytes)).json<Doc>();
    const b = (await partner.upload(`/api/v1/claims/${two}/documents`, 'b.pdf', bytes)).json<Doc>();
    expect(a.sha256).toBe(b.sha256);
    expect((await partner.delete(`/api/v1/claims/${one}/documents/${a.id}`)).statusCode).toBe(204);
    const got = await partner.get(`/api/v1/claims/${two}/documents/${b.id}`);
    expect(got.rawPayload.equals(bytes)).toBe(true);
  });

  it('isolates organizations: another partner gets 404 everywhere, a reader cannot upload', async () => {
    const id = await newClaim();
    const doc = (
      await partner.upload(`/api/v1/claims/${id}/documents`, 'mine.pdf', await makePdf('Mine'))
    ).json<Doc>();
    const other = client(t.app, w.tokens.partnerB);
    const urls = [
      `/api/v1/claims/${id}/documents`,
      `/api/v1/claims/${id}/documents/${doc.id}`,
      `/api/v1/claims/${id}/poe-template`,
      `/api/v1/claims/${id}/poe-template?format=pdf`,
      `/api/v1/claims/${id}/checklist`,
    ];
    for (const url of urls) {
      const res = await other.get(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.body).not.toContain('mine.pdf');
    }
    expect(
      (await other.get(`/api/v1/claims/${id}/documents/${doc.id}`, { range: 'bytes=0-3' })).statusCode,
    ).toBe(404);
    expect((await other.delete(`/api/v1/claims/${id}/documents/${doc.id}`)).statusCode).toBe(404);
    expect((await other.upload(`/api/v1/claims/${id}/documents`, 'x.txt', 'intruder\n')).statusCode).toBe(
      404,
    );
    // A document id of claim A asked through claim B's URL does not exist either.
    const theirs = await client(t.app, w.tokens.partnerB).post(
      '/api/v1/claims',
      m365Claim({ mpnId: '2345678', name: 'B claim' }),
    );
    const bId = theirs.json<{ id: string }>().id;
    expect((await other.get(`/api/v1/claims/${bId}/documents/${doc.id}`)).statusCode).toBe(404);
    const reader = client(t.app, w.tokens.readerA);
    expect((await reader.upload(`/api/v1/claims/${id}/documents`, 'r.txt', 'reader\n')).statusCode).toBe(403);
    expect((await reader.get(`/api/v1/claims/${id}/documents/${doc.id}`)).statusCode).toBe(200);
    expect((await client(t.app).get(`/api/v1/claims/${id}/documents/${doc.id}`)).statusCode).toBe(401);
  });

  it('describes the PoE routes in the OpenAPI document', async () => {
    const spec = await client(t.app).get('/api/v1/openapi.json');
    const paths = Object.keys(spec.json<{ paths: Record<string, unknown> }>().paths);
    for (const p of ['documents', 'documents/{documentId}', 'poe-template', 'checklist'])
      expect(paths).toContain(`/api/v1/claims/{id}/${p}`);
  });

  it('reads a UTF-8 file name given in multipart, and normalizes it to NFC', async () => {
    const id = await newClaim();
    const decomposed = 'Cafe\u0301 relato\u0301rio.txt';
    const { body, contentType } = multipart([
      { name: 'file', fileName: decomposed, type: 'text/plain', data: 'Signed\n' },
    ]);
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/claims/${id}/documents`,
      headers: { authorization: `Bearer ${w.tokens.partnerA}`, 'content-type': contentType },
      payload: body,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json<Doc>().fileName).toBe('Café relatório.txt');
    // A name without an extension gets the one of its content.
    const bare = await partner.upload(`/api/v1/claims/${id}/documents`, 'scan', makePng(8, 8));
    expect(bare.json<Doc>().fileName).toBe('scan.png');
  });
});
