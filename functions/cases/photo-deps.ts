/**
 * The photo links wired to the table: the page functions read which photos a report has and
 * link each to OfficerPhotos, which alone is granted the intake bucket.
 */
import { documents } from '#shared/clients';
import { setting } from '#shared/config';
import { buildGetReportPhotos } from '../intake/photo-records.ts';
import { buildPhotoLinks } from './photo-links.ts';

export const photoLinks = buildPhotoLinks({ getPhotos: buildGetReportPhotos(documents, setting('table')) });
