import { describe, expect, it } from 'vitest';
import { councilAreaFrom, insidePolygon, MELTON_BOUNDARY, outsideArea, postcodeDistrict } from '../../functions/intake/area.ts';

const melton = councilAreaFrom({});

describe('unit: the council area (postcode districts and a boundary polygon)', () => {
  it('defaults to Melton Borough: LE13 and LE14, and its rough polygon', () => {
    expect(melton.postcodeDistricts).toEqual(['LE13', 'LE14']);
    expect(melton.boundary).toBe(MELTON_BOUNDARY);
  });

  it.each([
    ['Melton Mowbray', 52.7661, -0.8863],
    ['Bottesford', 52.944, -0.801],
    ['Long Clawson', 52.842, -0.929],
    ['Asfordby', 52.77, -0.95],
    ['Rearsby', 52.72, -1.03],
    ['Knossington', 52.665, -0.78],
    ['Wymondham', 52.76, -0.74],
  ])('has %s inside', (_place, lat, lng) => {
    expect(insidePolygon(lng, lat, melton.boundary)).toBe(true);
  });

  it.each([
    ['Leicester', 52.6369, -1.1398],
    ['Oakham', 52.67, -0.728],
    ['Grantham', 52.912, -0.642],
    ['Syston', 52.7, -1.08],
    ['Nottingham', 52.954, -1.158],
    ['the far side of the world', -52.77, 179.11],
  ])('has %s outside', (_place, lat, lng) => {
    expect(insidePolygon(lng, lat, melton.boundary)).toBe(false);
  });

  it('reads a postcode district from a postcode however it is spaced', () => {
    expect(postcodeDistrict('LE13 1GH')).toBe('LE13');
    expect(postcodeDistrict('le141aa')).toBe('LE14');
    expect(postcodeDistrict('LE1 5WW')).toBe('LE1');
    expect(postcodeDistrict('SW1A 1AA')).toBe('SW1A');
  });

  it('refuses a postcode or a map point outside, naming the council and where to go instead', () => {
    expect(outsideArea({ postcode: 'LE13 1GH' }, melton, 'Melton Borough Council')).toEqual([]);
    expect(outsideArea({ lat: 52.7661, lng: -0.8863, postcode: 'LE14 2QX' }, melton, 'Melton Borough Council')).toEqual([]);
    const away = outsideArea({ postcode: 'LE1 5WW', lat: 52.6369, lng: -1.1398 }, melton, 'Melton Borough Council');
    expect(away.map((d) => d.path)).toEqual(['location.postcode', 'location.lat']);
    expect(away[0]?.message).toBe(
      'LE1 5WW is not in Melton Borough Council’s area, so we cannot deal with it (our postcodes start LE13 or LE14); check the postcode, or find the council for that area at www.gov.uk/find-local-council',
    );
    expect(away[1]?.message).toContain('the map point 52.6369, -1.1398 is outside Melton Borough Council’s area');
  });

  it('leaves a place given only in words to an officer', () => {
    expect(outsideArea({ text: 'Behind the shops on Nottingham Street' }, melton, 'x')).toEqual([]);
    expect(outsideArea({ lat: 52.6369 }, melton, 'x')).toEqual([]);
  });

  it('takes the districts and the polygon from the settings, and refuses settings that are not', () => {
    const area = councilAreaFrom({ SC_AREA_POSTCODE_DISTRICTS: ' le1, LE2 ', SC_AREA_BOUNDARY: '[[-1.2,52.6],[-1.0,52.6],[-1.0,52.7],[-1.2,52.7]]' });
    expect(area.postcodeDistricts).toEqual(['LE1', 'LE2']);
    expect(insidePolygon(-1.1398, 52.6369, area.boundary)).toBe(true);
    expect(insidePolygon(-0.8863, 52.7661, area.boundary)).toBe(false);
    expect(() => councilAreaFrom({ SC_AREA_POSTCODE_DISTRICTS: 'LE13,Melton' })).toThrow(/SC_AREA_POSTCODE_DISTRICTS/);
    expect(() => councilAreaFrom({ SC_AREA_BOUNDARY: '[[1,2]]' })).toThrow(/SC_AREA_BOUNDARY/);
    expect(() => councilAreaFrom({ SC_AREA_BOUNDARY: 'not json' })).toThrow(/SC_AREA_BOUNDARY/);
  });
});
