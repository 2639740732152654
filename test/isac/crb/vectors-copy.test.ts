import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COPY_CRB_VECTORS_PATH, SHARED_CRB_VECTORS_PATH } from './vectors.js';

describe('test/fixtures/shared-testdata/crb-vectors.json', () => {
  it.runIf(existsSync(SHARED_CRB_VECTORS_PATH))(
    'is an unmodified copy of shared/testdata/crb-vectors.json',
    () => {
      expect(readFileSync(COPY_CRB_VECTORS_PATH).equals(readFileSync(SHARED_CRB_VECTORS_PATH))).toBe(true);
    },
  );
});
