/**
 * The streams the demo council tracks, opened through POST /funding/streams as finance would:
 * streams are data, not code.
 */
export const demoStreams = [
  {
    code: 'CSP',
    name: 'Community Safety Partnership fund',
    description: "The Police and Crime Commissioner's provisional allocation for each financial year, plus awards won from the county's pooled underspend.",
    startsOn: '2020-04-01',
  },
  {
    code: 'SS5',
    name: 'Safer Streets Fund (round 5)',
    description: 'National safer-streets fund, October 2023 to March 2025, tracked year by year; year 2 reduced by a recall.',
    startsOn: '2023-10-01',
    endsOn: '2025-03-31',
  },
] as const;
