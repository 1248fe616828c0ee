import { documents } from '#shared/clients';
import { setting } from '#shared/config';
import { buildGetContact } from '../intake/contacts.ts';
import { buildAccessRecord } from './access-record.ts';
import { buildReadHoldings } from './holdings.ts';
import { privacyHandler } from './privacy-api.ts';

const table = setting('table');
const access = buildAccessRecord(documents, table);

export const handler = privacyHandler({ db: documents, table, access, readHoldings: buildReadHoldings(documents, table, access), getContact: buildGetContact(documents, table) });
