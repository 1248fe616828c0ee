/**
 * The photo links wired to the intake bucket and the table: only for the page functions
 * granted the intake bucket (read), so other case functions never need it.
 */
import { documents, s3 } from '#shared/clients';
import { setting } from '#shared/config';
import { buildGetReportPhotos } from '../intake/photo-records.ts';
import { buildPhotoLinks } from './photo-links.ts';

export const photoLinks = buildPhotoLinks({ s3, bucket: setting('intakeBucket'), getPhotos: buildGetReportPhotos(documents, setting('table')) });
