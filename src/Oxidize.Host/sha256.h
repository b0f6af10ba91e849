/* SHA-256 (FIPS 180-4), used by the inspection tool to verify entries against their recorded digests. */
#ifndef OXIDIZE_SHA256_H
#define OXIDIZE_SHA256_H

#include <stddef.h>
#include <stdint.h>

void sha256(const uint8_t *data, size_t length, uint8_t digest[32]);

#endif
