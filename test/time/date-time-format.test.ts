/** Polycom date and clock formats: lcl.datetime.date.format / .longFormat, lcl.datetime.time.24HourClock. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { dateFormatProblem, formatDate, formatTime } from '../../firmware/time/date-time-format';

const thu3July = Date.UTC(2025, 6, 3, 14, 5);

test('the formats of Polycom\'s guide, long and short names', () => {
  assert.is(formatDate(thu3July, 'D,dM', true), 'Thursday, 3 July');
  assert.is(formatDate(thu3July, 'D,Md', true), 'Thursday, July 3');
  assert.is(formatDate(thu3July, 'dM,D', true), '3 July, Thursday');
  assert.is(formatDate(thu3July, 'Md,D', true), 'July 3, Thursday');
  assert.is(formatDate(thu3July, 'D,dMY', true), 'Thursday, 3 July 2025');
  assert.is(formatDate(thu3July, 'dMY', false), '3 Jul 2025');
  assert.is(formatDate(thu3July, 'Y,Md', false), '2025, Jul 3');
  assert.is(formatDate(thu3July, 'DdMY', false), 'Thu 3 Jul 2025');
  assert.is(formatDate(thu3July, 'D,dM', false), 'Thu, 3 Jul');
});

test('numeric formats of real fleet files: DD/MM/YYYY, MM/DD/YY, YYYY-MM-DD, DD.MM.YYYY', () => {
  assert.is(formatDate(thu3July, 'DD/MM/YYYY', true), '03/07/2025');
  assert.is(formatDate(thu3July, 'MM/DD/YY', false), '07/03/25');
  assert.is(formatDate(thu3July, 'YYYY-MM-DD', true), '2025-07-03');
  assert.is(formatDate(thu3July, 'DD.MM.YYYY', true), '03.07.2025');
  for (const bad of ['DD/MM-YYYY', 'DD/DD/YYYY', 'D/M/Y', 'DD/MM']) assert.ok(dateFormatProblem(bad), bad);
});

test('an invalid format is reported and the default shown', () => {
  for (const bad of ['', 'X', 'D,,d', ',D', 'D,', 'DD', 'dMYDd', 'D d']) assert.ok(dateFormatProblem(bad), bad);
  for (const good of ['D,dM', 'dMY', 'Y,Md', 'M']) assert.is(dateFormatProblem(good), null, good);
  assert.is(formatDate(thu3July, 'nonsense', true), 'Thursday, 3 July');
});

test('24-hour and 12-hour clocks, around midnight and noon', () => {
  assert.is(formatTime(thu3July, true), '14:05');
  assert.is(formatTime(thu3July, false), '2:05 PM');
  assert.is(formatTime(Date.UTC(2025, 0, 1, 0, 7), true), '00:07');
  assert.is(formatTime(Date.UTC(2025, 0, 1, 0, 7), false), '12:07 AM');
  assert.is(formatTime(Date.UTC(2025, 0, 1, 12, 0), false), '12:00 PM');
  assert.is(formatTime(Date.UTC(2025, 0, 1, 11, 59), false), '11:59 AM');
});

test.run();
