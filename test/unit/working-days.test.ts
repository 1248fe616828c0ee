import { describe, expect, it } from 'vitest';
import { addWorkingDays, isBankHoliday, isWorkingDay, workingDaysBetween } from '#shared/working-days';
import { firstContactDueBy } from '../../functions/cases/first-contact-targets.ts';
import { bankHolidayYears, bankHolidaysByYear } from '../../functions/shared/bank-holidays.ts';
import { bankHolidaysFromLibrary, bankHolidaysModule } from '../../scripts/bank-holidays.ts';

describe('unit: England and Wales working days', () => {
  it('has, for every year its list covers, the bank holidays date-holidays gives (else run scripts/bank-holidays.ts)', () => {
    const fromLibrary = bankHolidaysFromLibrary(bankHolidayYears.first, bankHolidayYears.last);
    expect(bankHolidaysByYear).toEqual(fromLibrary);
    expect(bankHolidaysModule(fromLibrary)).toContain(`2023: '${fromLibrary[2023]}',`);
    expect(Object.keys(bankHolidaysByYear)).toHaveLength(bankHolidayYears.last - bankHolidayYears.first + 1);
  });

  it('refuses a year outside the list rather than calling it all working days', () => {
    expect(() => isWorkingDay(`${bankHolidayYears.last + 1}-03-03`)).toThrow(/bank holidays are known for 2000 to 2099, not 2100/);
    expect(isWorkingDay(`${bankHolidayYears.first}-01-04`)).toBe(true);
  });

  it.each(['2023-05-08', '2023-05-01', '2022-12-26', '2022-12-27', '2024-03-29', '2024-04-01', '2022-09-19', '2024-12-25'])(
    'knows %s is a bank holiday when asked',
    (date) => {
      expect(isBankHoliday(date)).toBe(true);
      expect(isWorkingDay(date)).toBe(false);
    },
  );

  it('treats weekends as non-working and ordinary weekdays as working when asked', () => {
    expect(isWorkingDay('2024-05-18')).toBe(false); // Saturday
    expect(isWorkingDay('2024-05-19')).toBe(false); // Sunday
    expect(isWorkingDay('2024-05-20')).toBe(true);
    expect(isBankHoliday('2023-03-19')).toBe(false); // Mother's Day: an observance, not a bank holiday
  });

  it('skips the one-off coronation bank holiday on 8 May 2023 when counting', () => {
    expect(addWorkingDays('2023-05-05', 1)).toBe('2023-05-09');
    // Friday 28 April: 1 May and 8 May are both bank holidays.
    expect(addWorkingDays('2023-04-28', 5)).toBe('2023-05-09');
  });

  it('skips Christmas, Boxing Day and the substitute day when Christmas falls on a Sunday', () => {
    expect(addWorkingDays('2022-12-23', 1)).toBe('2022-12-28');
    expect(addWorkingDays('2022-12-23', 5)).toBe('2023-01-04'); // 2 January 2023 is the New Year substitute
  });

  it('skips Easter 2024 across the start of BST when counting from Maundy Thursday', () => {
    // Good Friday 29 March, clocks forward 31 March, Easter Monday 1 April.
    expect(addWorkingDays('2024-03-28', 5)).toBe('2024-04-08');
    expect(workingDaysBetween('2024-03-28', '2024-04-08')).toBe(5);
  });

  it('counts across the end of BST in October like any other week', () => {
    expect(addWorkingDays('2024-10-25', 1)).toBe('2024-10-28');
    expect(addWorkingDays('2023-10-27', 3)).toBe('2023-11-01');
  });

  it('counts from a weekend day to the following working days when the start is not a working day', () => {
    expect(addWorkingDays('2024-05-18', 1)).toBe('2024-05-20');
    expect(addWorkingDays('2024-05-18', 0)).toBe('2024-05-20');
    expect(addWorkingDays('2024-05-20', 0)).toBe('2024-05-20');
  });

  it('refuses a negative or fractional number of working days', () => {
    expect(() => addWorkingDays('2024-05-20', -1)).toThrow(RangeError);
    expect(() => addWorkingDays('2024-05-20', 1.5)).toThrow(RangeError);
  });
});

describe('unit: Tenancy Services first-contact targets', () => {
  it('gives a category C case opened on Maundy Thursday 2024 until the Monday after Easter week', () => {
    expect(firstContactDueBy('2024-03-28T10:00:00Z', 'C')).toBe('2024-04-08');
  });

  it('dates a case opened late on a Friday evening in BST by its London date when near midnight', () => {
    // 23:30 UTC on Friday 24 May 2024 is 00:30 on Saturday in London: counting starts from Saturday.
    expect(firstContactDueBy('2024-05-24T23:30:00Z', 'A')).toBe('2024-05-28'); // Monday 27 May is a bank holiday
    expect(firstContactDueBy('2024-05-24T22:30:00Z', 'A')).toBe('2024-05-28');
    expect(firstContactDueBy('2024-05-23T22:59:00Z', 'A')).toBe('2024-05-24');
    expect(firstContactDueBy('2024-05-23T23:00:00Z', 'A')).toBe('2024-05-28');
  });

  it('uses the configured days for A and B and five working days for C', () => {
    expect(firstContactDueBy('2024-06-03T09:00:00+01:00', 'A')).toBe('2024-06-04');
    expect(firstContactDueBy('2024-06-03T09:00:00+01:00', 'B')).toBe('2024-06-06');
    expect(firstContactDueBy('2024-06-03T09:00:00+01:00', 'C')).toBe('2024-06-10');
    expect(firstContactDueBy('2024-06-03T09:00:00+01:00', 'A', { A: 2, B: 4, C: 5 })).toBe('2024-06-05');
  });
});
