import { ValidationError } from '../../src/core/errors';
import {
  MAX_TITLE_LENGTH,
  MAX_URL_LENGTH,
  validateId,
  validateNewImage,
} from '../../src/core/validate-new-image';

describe('validateNewImage', () => {
  it('accepts a title and an https URL, trimming the title', () => {
    expect(validateNewImage({ title: '  Boats ', imageUrl: 'https://images.example/boats.jpg' })).toEqual({
      title: 'Boats',
      imageUrl: 'https://images.example/boats.jpg',
    });
  });

  it.each([
    ['null', null, /^The body must be a JSON object/],
    ['an array', [], /^The body must be a JSON object/],
    [
      'an unknown field',
      { title: 't', imageUrl: 'https://a.example/x.jpg', admin: true },
      /^Unknown field\(s\) admin\./,
    ],
    ['a missing title', { imageUrl: 'https://a.example/x.jpg' }, /^title must be/],
    ['a blank title', { title: '   ', imageUrl: 'https://a.example/x.jpg' }, /^title must be/],
    [
      'a title too long',
      { title: 'x'.repeat(MAX_TITLE_LENGTH + 1), imageUrl: 'https://a.example/x.jpg' },
      /^title must be/,
    ],
    [
      'a javascript: URL',
      { title: 't', imageUrl: 'javascript:alert(1)' },
      /^imageUrl must be an http or https URL/,
    ],
    ['a relative URL', { title: 't', imageUrl: '/x.jpg' }, /^imageUrl must be/],
    [
      'a URL too long',
      { title: 't', imageUrl: `https://a.example/${'x'.repeat(MAX_URL_LENGTH)}` },
      /^imageUrl must be/,
    ],
  ])('refuses %s with a ValidationError that says how to fix it', (_case, body, message) => {
    expect(() => validateNewImage(body)).toThrow(ValidationError);
    expect(() => validateNewImage(body)).toThrow(message);
  });
});

describe('validateId', () => {
  it('accepts letters, digits and dashes', () => {
    expect(validateId('a1-B2', 'groupId')).toBe('a1-B2');
  });

  it.each([[''], ['x'.repeat(65)], ['a b'], ["g1' OR '1'='1"], [undefined]])('refuses %p', (value) => {
    expect(() => validateId(value, 'groupId')).toThrow(/^groupId must be 1 to 64 letters/);
  });
});

// BEGIN HIDDEN TESTS
describe('validateNewImage, at its limits', () => {
  it('accepts a plain http URL and a title of exactly the maximum length', () => {
    const title = 'x'.repeat(MAX_TITLE_LENGTH);

    expect(validateNewImage({ title, imageUrl: 'http://images.example/a.png' })).toEqual({
      title,
      imageUrl: 'http://images.example/a.png',
    });
  });

  it('refuses a file: URL, which parses but is not http(s)', () => {
    expect(() => validateNewImage({ title: 't', imageUrl: 'file:///etc/passwd' })).toThrow(
      /^imageUrl must be/,
    );
  });
});
// END HIDDEN TESTS
