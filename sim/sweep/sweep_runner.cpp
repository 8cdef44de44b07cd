#include "sim/sweep/sweep_runner.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include "common/fnv1a.h"
#include "common/input_error.h"
#include "sim/config/config_tree.h"
#include "sim/config/param_specs.h"
#include "sim/report/columns.h"
#include "sim/report/csv.h"
#include "sim/report/json_text.h"
#include "sim/report/output_dir.h"
#include "sim/run/simulation.h"
#include "sim/run/workload_cache.h"
#include "sim/sweep/worker_pool.h"
#include "workloads/json_file.h"
#include "workloads/text_file.h"

namespace strata {
namespace {

using J = nlohmann::json;

std::string row_key(const std::string& point, const std::string& workload) {
  return point + "|" + workload;
}

// What identifies the sweep's rows: every point id and workload.
std::string plan_fingerprint(const SweepSpec& spec, const SweepPlan& plan,
                             const std::string& inputs_dir) {
  std::string s;
  for (const auto& p : plan.points) s += p.id + ",";
  for (const auto& w : spec.workloads) s += w + ";";
  if (!inputs_dir.empty()) s += "inputs:" + inputs_dir;
  return std::to_string(fnv1a64(s));
}

}  // namespace

std::vector<J> read_sweep_rows(const std::string& path) {
  std::vector<J> rows;
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) return rows;
  const std::string text = read_text_file(path);
  size_t start = 0, complete = 0;
  while (start < text.size()) {
    const size_t end = text.find('\n', start);
    if (end == std::string::npos) break;  // a partial last line
    const std::string line = text.substr(start, end - start);
    J row;
    try {
      row = parse_json_text(line, path + " line " + std::to_string(rows.size() + 1));
    } catch (const InputError& e) {
      throw InputError(std::string(e.what()) + " (a row starting at byte " + std::to_string(start) +
                       ")");
    }
    if (!row.is_object() || !row.contains("point") || !row["point"].is_string() ||
        !row.contains("workload") || !row["workload"].is_string() || !row.contains("status")) {
      throw InputError(path + ": line " + std::to_string(rows.size() + 1) + " (byte " +
                       std::to_string(start) +
                       "): not a sweep row (needs point, workload and status)");
    }
    rows.push_back(std::move(row));
    start = end + 1;
    complete = start;
  }
  if (complete < text.size() && truncate(path.c_str(), static_cast<off_t>(complete)) != 0) {
    throw InputError(path + ": cannot drop its partial last line: " + std::strerror(errno));
  }
  return rows;
}

namespace {

// One whole line or none: a write cut short (a full disk) is taken back, so the file keeps
// whole rows and --resume runs the lost one again.
void append_row(int fd, const std::string& path, const J& row) {
  const std::string line = json_text(row) + "\n";
  const off_t before = lseek(fd, 0, SEEK_END);
  int error = write_fully(fd, line);
  if (error == 0 && fdatasync(fd) != 0) error = errno != 0 ? errno : EIO;
  if (error != 0) {
    if (before >= 0 && ftruncate(fd, before) != 0) {
      // The cut-off line stays; read_sweep_rows drops a partial last line on --resume.
    }
    throw InputError(path + ": cannot append a row: " + std::strerror(error) +
                     " (the rows before it are kept; --resume runs the rest)");
  }
}

}  // namespace

void parse_shard(const std::string& text, int* index, int* count) {
  const size_t slash = text.find('/');
  try {
    size_t a = 0, b = 0;
    if (slash == std::string::npos) throw std::invalid_argument("");
    *index = std::stoi(text.substr(0, slash), &a);
    *count = std::stoi(text.substr(slash + 1), &b);
    if (a != slash || b != text.size() - slash - 1 || *count < 1 || *index < 0 || *index >= *count)
      throw std::invalid_argument("");
  } catch (const std::exception&) {
    throw InputError("--shard: expected i/N with 0 <= i < N, got '" + text + "'");
  }
}

J point_json(const SweepPoint& point) {
  return {{"id", point.id}, {"overrides", point.overrides}, {"axes", point.axes}};
}

SweepPoint point_from_json(const J& j, const std::string& what) {
  if (!j.is_object() || !j.contains("id") || !j["id"].is_string() || !j.contains("axes") ||
      !j["axes"].is_object() || (j.contains("overrides") && !j["overrides"].is_array())) {
    throw InputError(what +
                     ": expected a sweep point {\"id\": string, \"axes\": object, "
                     "\"overrides\": [strings]}");
  }
  SweepPoint p;
  p.id = j["id"].get<std::string>();
  p.axes = j["axes"];
  for (const J& o : j.value("overrides", J::array())) {
    if (!o.is_string()) throw InputError(what + ": overrides: expected strings");
    p.overrides.push_back(o.get<std::string>());
  }
  return p;
}

J sweep_row(const SweepPoint& point, const std::string& workload, const J& report) {
  J row = {{"point", point.id}, {"workload", workload}, {"status", "ok"}, {"axes", point.axes}};
  for (const auto& c : summary_columns()) row[c.name] = summary_value(report, c.name);
  return row;
}

J sweep_error_row(const SweepPoint& point, const std::string& workload, const std::string& error) {
  return {{"point", point.id},
          {"workload", workload},
          {"status", "error"},
          {"axes", point.axes},
          {"error", error}};
}

std::string sweep_csv(const std::vector<J>& rows_in, const std::vector<std::string>& axes) {
  std::vector<J> rows = rows_in;
  std::sort(rows.begin(), rows.end(), [](const J& a, const J& b) {
    return std::make_pair(a["point"].get<std::string>(), a["workload"].get<std::string>()) <
           std::make_pair(b["point"].get<std::string>(), b["workload"].get<std::string>());
  });
  // point, workload, status, the axes, the summary columns, error: a failed row leaves the
  // figures empty, a finished one the error.
  const std::vector<std::string> metrics = column_names(summary_columns());
  std::vector<std::string> header = {"point", "workload", "status"};
  header.insert(header.end(), axes.begin(), axes.end());
  header.insert(header.end(), metrics.begin(), metrics.end());
  header.push_back("error");
  std::string out = csv_line(header);
  for (const auto& r : rows) {
    std::vector<std::string> f = {csv_escape(r.at("point")), csv_escape(r.at("workload")),
                                  csv_escape(r.at("status"))};
    for (const auto& a : axes) f.push_back(r["axes"].contains(a) ? csv_escape(r["axes"][a]) : "");
    const bool ok = r["status"] == "ok";
    for (const auto& m : metrics) {
      if (ok && !r.contains(m)) {
        throw InputError("results row " + r["point"].get<std::string>() + " on " +
                         r["workload"].get<std::string>() + " has no '" + m +
                         "' (written by another strata version?)");
      }
      f.push_back(ok ? csv_escape(r[m]) : "");
    }
    f.push_back(r.contains("error") ? csv_escape(r["error"]) : "");
    out += csv_line(f);
  }
  return out;
}

size_t warm_workload_cache(const SweepSpec& spec, const SweepPlan& plan,
                           const std::string& cache_dir,
                           const std::function<void(size_t, const std::string&)>& preparing) {
  // Points that differ only in hardware keys share their workload preparation: resolve one point
  // per distinct set of workload.* and sim.mode values, then prepare each distinct request once.
  const auto shapes_workload = [](const std::string& override_text) {
    return override_text.rfind("workload.", 0) == 0 || override_text.rfind("sim.mode=", 0) == 0;
  };
  std::set<std::string> groups, keys;
  const ConfigTree base = ConfigTree::load(spec.base);
  for (const auto& p : plan.points) {
    std::string group;
    for (const auto& ov : p.overrides) {
      if (shapes_workload(ov)) group += ov + "\n";
    }
    if (!groups.insert(group).second) continue;
    ConfigTree tree = base;
    for (const auto& ov : p.overrides) tree.set_override(ov);
    const ResolvedConfig config = resolve_config(tree);
    for (const auto& w : spec.workloads) {
      ModelQuantRequest q;
      if (!front_end_request(make_run_params(config), w, &q) || q.with_tensors) continue;
      if (!keys.insert(workload_cache_key(q)).second) continue;
      if (preparing) preparing(keys.size(), describe_workload_request(q));
      try {
        quantize_model_cached(q, cache_dir);
      } catch (const std::exception&) {
        // Bad input, or strata's own fault (an internal error, a bad_alloc): the point's worker
        // meets it again and reports it as that row's error; the sweep goes on.
      }
    }
  }
  return keys.size();
}

SweepSummary run_sweep(const SweepSpec& spec, const SweepPlan& plan, const SweepOptions& o) {
  prepare_output_dir(o.out_dir);
  const std::string jsonl = o.out_dir + "/results.jsonl";
  const std::string manifest_path = o.out_dir + "/sweep.json";
  J manifest = {{"format", "strata-sweep"},
                {"spec", spec.file},
                {"fingerprint", plan_fingerprint(spec, plan, o.inputs_dir)},
                {"shard", std::to_string(o.shard_index) + "/" + std::to_string(o.shard_count)},
                {"points", plan.points.size()},
                {"workloads", spec.workloads},
                {"dropped_by_constraints", plan.dropped},
                {"axes", J::array()},
                {"point_ids", J::array()}};
  for (const auto& a : spec.axes) manifest["axes"].push_back(a.key);
  for (const auto& p : plan.points) manifest["point_ids"].push_back(p.id);
  if (!o.inputs_dir.empty()) manifest["inputs"] = o.inputs_dir;
  struct stat st {};
  const bool has_results = stat(jsonl.c_str(), &st) == 0;
  if (has_results && !o.resume) {
    throw InputError(o.out_dir +
                     ": holds results of a sweep already; rerun with --resume to "
                     "complete it, or choose another --out");
  }
  if (has_results) {
    const J old = load_json_file(manifest_path);
    if (!old.is_object() || old.value("fingerprint", "") != manifest["fingerprint"] ||
        old.value("shard", "") != manifest["shard"]) {
      throw InputError(manifest_path +
                       ": the results there come from a different spec, shard or --inputs; "
                       "--resume needs the same spec, --shard and --inputs");
    }
  } else {
    write_outputs_atomically(o.out_dir, {{"sweep.json", json_text(manifest, 1) + "\n"}});
  }

  // This shard's rows, in (point id, workload) order.
  struct Row {
    const SweepPoint* point;
    std::string workload;
  };
  std::vector<Row> rows;
  size_t index = 0;
  for (const auto& p : plan.points) {
    for (const auto& w : spec.workloads) {
      if (static_cast<int>(index++ % o.shard_count) == o.shard_index) rows.push_back({&p, w});
    }
  }
  std::vector<J> done_rows = read_sweep_rows(jsonl);
  std::map<std::string, bool> done;
  SweepSummary summary;
  summary.rows = rows.size();
  for (const auto& r : done_rows) {
    done[row_key(r["point"].get<std::string>(), r["workload"].get<std::string>())] = true;
    summary.failed += r["status"] != "ok";
  }
  // Workloads the config prepares (workload.* keys) are prepared once here and read by every
  // worker from the sweep's cache.
  const std::string cache_dir = o.out_dir + "/cache";
  bool any_to_run = false;
  for (const auto& r : rows) any_to_run |= !done.count(row_key(r.point->id, r.workload));
  if (any_to_run)
    summary.prepared_workloads = warm_workload_cache(spec, plan, cache_dir, o.preparing);
  std::vector<WorkerJob> jobs;
  std::vector<const Row*> job_rows;
  std::vector<std::string> job_dirs;  // each job's output directory (its row.json)
  const std::string work = o.out_dir + "/work";
  // A killed run's workers left their scratch here; its finished rows are in results.jsonl. Its
  // workers died with it (worker_dies_with_parent), but one may still be exiting: retry.
  for (int attempt = 0; attempt < 20; ++attempt) {
    std::error_code ec;
    std::filesystem::remove_all(work, ec);
    if (!ec) break;
    usleep(50000);
  }
  std::filesystem::create_directories(work);
  for (const auto& r : rows) {
    if (done.count(row_key(r.point->id, r.workload))) {
      ++summary.resumed;
      continue;
    }
    WorkerJob j;
    // The pid keeps this run's directories apart from those of a killed run's orphan workers.
    const std::string dir = work + "/" + std::to_string(getpid()) + "_" + r.point->id + "_" +
                            std::to_string(job_rows.size());
    // --sweep-point: the worker writes the point's row (row.json) instead of the report's files.
    j.args = {"run",
              "--config",
              spec.base,
              "--workload",
              r.workload,
              "--out",
              dir,
              "-q",
              "--cache-dir",
              cache_dir,
              "--sweep-point",
              json_text(point_json(*r.point))};
    for (const auto& ov : r.point->overrides) {
      j.args.push_back("--set");
      j.args.push_back(ov);
    }
    if (!o.inputs_dir.empty()) {
      j.args.push_back("--inputs");
      j.args.push_back(o.inputs_dir);
    }
    j.stderr_path = dir + ".err";
    jobs.push_back(std::move(j));
    job_rows.push_back(&r);
    job_dirs.push_back(dir);
  }
  const int fd = open(jsonl.c_str(), O_WRONLY | O_APPEND | O_CREAT, 0644);
  if (fd < 0) throw InputError(jsonl + ": cannot open for appending: " + std::strerror(errno));
  size_t finished = summary.resumed;
  if (o.progress) o.progress(finished, summary.rows, summary.failed);
  try {
    run_workers(
        o.program, jobs, o.jobs,
        [&](const WorkerResult& w) {
          const Row& r = *job_rows[w.index];
          const std::string& dir = job_dirs[w.index];
          J row;
          if (w.exit_code == 0) {
            row = load_json_file(dir + "/row.json");
          } else {
            row = sweep_error_row(*r.point, r.workload, w.error);
            ++summary.failed;
          }
          append_row(fd, jsonl, row);
          done_rows.push_back(row);
          std::filesystem::remove_all(dir);
          std::filesystem::remove(jobs[w.index].stderr_path);
          ++summary.ran;
          ++finished;
          if (o.progress) o.progress(finished, summary.rows, summary.failed);
        },
        nullptr, o.process_per_run);
  } catch (...) {
    close(fd);
    throw;
  }
  close(fd);
  std::error_code ec;
  std::filesystem::remove(work, ec);  // only if empty
  std::vector<std::string> axes;
  for (const auto& a : spec.axes) axes.push_back(a.key);
  write_outputs_atomically(o.out_dir, {{"results.csv", sweep_csv(done_rows, axes)}});
  return summary;
}

}  // namespace strata
