// A real S3-compatible server for the tests (s3rver on 127.0.0.1, bucket "cpor-poe"), and the
// storage that talks to it.
import type { AddressInfo } from 'node:net';
import S3rver from 's3rver';
import { s3Storage } from '../src/storage/s3-storage.js';

export async function startS3(dir: string): Promise<{ server: S3rver; port: number }> {
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: dir,
    configureBuckets: [{ name: 'cpor-poe', configs: [] }],
  });
  const info = (await server.run()) as AddressInfo;
  return { server, port: info.port };
}

export function s3At(port: number, url = 's3://cpor-poe/documents') {
  return s3Storage({
    url,
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    forcePathStyle: true,
  });
}
