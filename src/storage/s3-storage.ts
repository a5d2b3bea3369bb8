// PoE bytes in S3-compatible object storage (`CPOR_STORAGE_URL=s3://bucket[/prefix]`).
// A PUT is atomic in S3: the object holds every byte or does not exist, so no temporary
// name is needed. Keys are `prefix/<sha256>`.
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { checkKey, type Storage, type StoredObject } from './storage.js';

export interface S3Settings {
  /** `s3://bucket` or `s3://bucket/prefix`. */
  url: string;
  endpoint?: string;
  region: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  forcePathStyle: boolean;
}

export function parseS3Url(url: string): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(url);
  if (!m?.[1]) throw new Error(`not an s3://bucket URL: ${url}`);
  return { bucket: m[1], prefix: (m[2] ?? '').replace(/^\/+|\/+$/g, '') };
}

const notFound = (e: unknown) => {
  const err = e as { name?: string; $metadata?: { httpStatusCode?: number } };
  return err.name === 'NoSuchKey' || err.name === 'NotFound' || err.$metadata?.httpStatusCode === 404;
};

export function s3Storage(s: S3Settings): Storage & { client: S3Client; bucket: string } {
  const { bucket, prefix } = parseS3Url(s.url);
  const client = new S3Client({
    region: s.region,
    endpoint: s.endpoint,
    forcePathStyle: s.forcePathStyle,
    ...(s.accessKeyId && s.secretAccessKey
      ? { credentials: { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey } }
      : {}),
    // Checksums only where S3 requires them: S3-compatible servers (MinIO, s3rver, Ceph)
    // do not all take the SDK's default streamed CRC trailers.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const objectKey = (key: string) => (prefix ? `${prefix}/${checkKey(key)}` : checkKey(key));
  const head = async (key: string) => {
    try {
      await client.send(new HeadObjectCommand({ Bucket: bucket, Key: objectKey(key) }));
      return true;
    } catch (e) {
      if (notFound(e)) return false;
      throw e;
    }
  };
  return {
    name: `s3://${bucket}${prefix ? `/${prefix}` : ''}`,
    client,
    bucket,
    async put(sourcePath, sha256, size) {
      if (await head(sha256)) return sha256;
      await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: objectKey(sha256),
          Body: createReadStream(sourcePath),
          ContentLength: size,
          ContentType: 'application/octet-stream',
        }),
      );
      return sha256;
    },
    async open(key, range) {
      const res = await client.send(
        new GetObjectCommand({
          Bucket: bucket,
          Key: objectKey(key),
          ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}),
        }),
      );
      if (!res.Body) throw new Error(`no body for ${key}`);
      return res.Body as Readable;
    },
    exists: head,
    async delete(key) {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: objectKey(key) }));
    },
    async *list() {
      let token: string | undefined;
      do {
        const res = await client.send(
          new ListObjectsV2Command({
            Bucket: bucket,
            Prefix: prefix ? `${prefix}/` : undefined,
            ContinuationToken: token,
          }),
        );
        const page: StoredObject[] = [];
        for (const o of res.Contents ?? []) {
          const key = (o.Key ?? '').slice(prefix ? prefix.length + 1 : 0);
          // Only our keys: anything else in the bucket (or deeper under the prefix) is not ours.
          if (/^[0-9a-f]{64}$/.test(key)) page.push({ key, modifiedAt: o.LastModified ?? new Date() });
        }
        if (page.length > 0) yield page;
        token = res.IsTruncated ? res.NextContinuationToken : undefined;
      } while (token);
    },
    // A PUT is atomic: an interrupted one leaves no object behind.
    removeTemporaries: async () => 0,
  };
}
