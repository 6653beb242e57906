/** This package's version, sent in the default `User-Agent` (`anh-moe-client/<version>`). */
export const CLIENT_VERSION = "0.1.0";
