/*
 * OXIDIZE_LOAD_LIST=<file>: the executable appends to that file the name of every packed entry the process loads (an
 * assembly the runtime maps or opens, a native library it loads, a packed file opened by path), each once per run, one
 * a line. A publish with OxidizeCompression=lz4 or lz4hc and OxidizeLoadList=<that file> keeps exactly those
 * entries stored, so a start decodes nothing (docs/how-it-works.md, "Compression").
 */
#ifndef OXIDIZE_LOAD_LIST_H
#define OXIDIZE_LOAD_LIST_H

#include <stdint.h>

#include "payload.h"

/* Opens the file the variable names (created if missing, appended to); without the variable, recording is off. A file
   that cannot be opened is reported on stderr once and recording stays off: the app still runs. */
void load_list_init(const struct payload *payload);

/* Appends the entry's name unless recording is off or this run already wrote it. Safe from any thread. */
void load_list_record(uint32_t index);

#endif
