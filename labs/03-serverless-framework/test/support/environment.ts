// What serverless.yml's provider.environment gives the functions. Test files import this module before any
// handler, because handlers read their environment once, at module scope, as they do in a Lambda sandbox.
export const GROUPS_TABLE = 'udagram-images-groups-test';
export const IMAGES_TABLE = 'udagram-images-images-test';
export const IMAGE_ID_INDEX = 'ImageIdIndex';

process.env.GROUPS_TABLE = GROUPS_TABLE;
process.env.IMAGES_TABLE = IMAGES_TABLE;
process.env.IMAGE_ID_INDEX = IMAGE_ID_INDEX;
