/*
 * lz4_decode.h -- LZ4 *block* decoder for the host (no frame format, no dictionary).
 *
 * The format is lz4/doc/lz4_Block_format.md; the C# encoders in
 * src/Oxidize.Packing/Lz4/ produce it and Lz4Decoder.cs there is this file's twin:
 * both accept and reject exactly the same blocks.
 */
#ifndef OXIDIZE_LZ4_DECODE_H
#define OXIDIZE_LZ4_DECODE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Decodes the block src[0..src_size) into dst[0..dst_capacity).
 *
 * Returns the number of bytes decoded, or -1 if the block is malformed: truncated, a length that
 * runs past the input or the output, an offset of 0 or one reaching before dst, or a block that
 * breaks the format's end-of-block rules (the last match must start at least 12 bytes and end at
 * least 5 bytes before the end of the output, and the final token's match field must be 0).
 * It never reads outside src[0..src_size) nor writes outside dst[0..dst_capacity), whatever the
 * input. src and dst must not overlap; dst may be NULL only if dst_capacity is 0.
 *
 * Bytes of dst past the returned length may be overwritten with scratch data (fast copies run
 * up to 15 bytes ahead), and on failure dst holds a partial result.
 */
int64_t lz4_decode(const uint8_t *src, size_t src_size, uint8_t *dst, size_t dst_capacity);

#endif /* OXIDIZE_LZ4_DECODE_H */
