// The rules a greeting's name follows, shared by GET /hello and GET /greet so both answer the same way.

export const MAX_NAME_LENGTH = 50;

/** Letters in any alphabet, spaces, hyphens, apostrophes (straight or curly): "Ada", "Jean-Luc", "O'Brien". */
export const NAME_PATTERN = /^[\p{L}\p{M} '’-]*$/u;

export const NAME_RULE = 'letters, spaces, hyphens and apostrophes';
