import type { S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost, type PresignedPost } from '@aws-sdk/s3-presigned-post';

export type { PresignedPost };

export interface UploadFormRequest {
  bucket: string;
  /** The object key: exactly this one, so a form cannot write anywhere else. */
  key: string;
  /** Bytes allowed: S3 refuses anything outside the range. */
  minBytes: number;
  maxBytes: number;
  /** Where S3 sends the browser (303) once the object is stored; S3 adds bucket, key and etag. */
  successRedirect: string;
  expiresInSeconds: number;
}

/**
 * A browser-based upload form for S3 (presigned POST, Signature Version 4, signed with the
 * client's credentials and region; the URL is the client's endpoint for the bucket). S3 checks
 * the signature, the expiry and every condition before storing anything: the exact key, the
 * size range, the redirect, and the stored type. That type is fixed to a download
 * (`application/octet-stream`), whatever the browser says, so nothing under uploads/ is ever
 * served as a page; an accepted photo is copied with the type read from its bytes.
 */
export function presignPost(s3: S3Client, request: UploadFormRequest): Promise<PresignedPost> {
  return createPresignedPost(s3, {
    Bucket: request.bucket,
    Key: request.key,
    // Every field becomes an exact-match condition of the policy.
    Fields: { success_action_redirect: request.successRedirect, 'Content-Type': 'application/octet-stream' },
    Conditions: [['content-length-range', request.minBytes, request.maxBytes]],
    Expires: request.expiresInSeconds,
  });
}
