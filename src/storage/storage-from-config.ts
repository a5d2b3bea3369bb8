// The storage the settings ask for: S3 when CPOR_STORAGE_URL is set, else local files.
import { join } from 'node:path';
import type { Config } from '../config.js';
import { s3Storage } from './s3-storage.js';
import { localStorage, type Storage } from './storage.js';

export function storageFromConfig(config: Config, dataDir: string): Storage {
  if (!config.CPOR_STORAGE_URL) return localStorage(join(dataDir, 'documents'));
  return s3Storage({
    url: config.CPOR_STORAGE_URL,
    endpoint: config.CPOR_S3_ENDPOINT,
    region: config.CPOR_S3_REGION,
    accessKeyId: config.CPOR_S3_ACCESS_KEY_ID,
    secretAccessKey: config.CPOR_S3_SECRET_ACCESS_KEY,
    forcePathStyle: config.CPOR_S3_FORCE_PATH_STYLE,
  });
}
