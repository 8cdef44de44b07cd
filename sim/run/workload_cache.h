#pragma once
// A content-addressed cache of prepared workloads: the front end's trace and summary for a
// (model, weight file contents, scheme, bits, DBB, seed, ...) request, so a sweep or a
// comparison quantizes each distinct workload once and every design point reuses it. An entry is
// <dir>/<key>.json, written atomically; results with and without the cache are byte-identical
// (doubles round-trip exactly through JSON). Bit-true runs need codes and float weights and
// always run the front end.
#include <string>

#include "workloads/front_end/model_quantizer.h"

namespace strata {

// The key of a request: a hash of every field that shapes the result, strata's version and the
// bytes of the real weight files it reads (the TF.js manifest and its shards).
std::string workload_cache_key(const ModelQuantRequest& request);

// "resnet50: ant 4-bit, W-DBB 4/8" for progress lines.
std::string describe_workload_request(const ModelQuantRequest& request);

// The cached trace and summary for `request`, or false if `dir` has none (an unreadable or
// stale entry counts as none and is replaced later).
bool load_cached_workload(const std::string& dir, const ModelQuantRequest& request,
                          ModelQuantResult* result);
// Stores them; a failure to write is not an error (the run goes on without the cache).
void store_cached_workload(const std::string& dir, const ModelQuantRequest& request,
                           const ModelQuantResult& result);

// quantize_model through the cache in `dir` ("" or a request for tensors: no cache).
ModelQuantResult quantize_model_cached(const ModelQuantRequest& request, const std::string& dir);

// The user cache for `strata run`: $STRATA_CACHE_DIR, else $XDG_CACHE_HOME/strata/workloads,
// else $HOME/.cache/strata/workloads ("" if none of them is set).
std::string default_workload_cache_dir();

}  // namespace strata
