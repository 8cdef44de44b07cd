#include "hw_models/timesync/frame_pipeline.h"

namespace strata {

FramePipeline::FramePipeline(sc_core::sc_module_name name, int64_t queue_depth,
                             InferenceQueue& queue)
    : sc_module(name),
      depth_(queue_depth),
      queue_(queue),
      arrivals_("arrivals"),
      submitted_(stats_.counter("frames", "frames", "camera frames submitted")),
      completed_(stats_.counter("inferences_done", "inferences", "frames inferred")),
      dropped_(stats_.counter("frames_dropped", "frames", "frames dropped from a full queue")) {
  queue_.on_done = [this](int64_t request, const sc_core::sc_time& start,
                          const sc_core::sc_time& end) { on_done(request, start, end); };
  SC_METHOD(on_arrival);
  sensitive << arrivals_;
  dont_initialize();
}

void FramePipeline::submit(const SensorFrame& frame) {
  frames_.push_back({frame});
  submitted_.add(1);
  pending_.emplace(frame.arrival, frames_.size() - 1);
  const double now = sc_core::sc_time_stamp().to_seconds();
  arrivals_.notify(sc_core::sc_time(std::max(0.0, frame.arrival - now), sc_core::SC_SEC));
}

void FramePipeline::on_arrival() {
  const double now = sc_core::sc_time_stamp().to_seconds();
  while (!pending_.empty() && pending_.begin()->first <= now + 1e-12) {
    const size_t record = pending_.begin()->second;
    pending_.erase(pending_.begin());
    if (!busy_) {
      dispatch(record);
      continue;
    }
    if (static_cast<int64_t>(waiting_.size()) >= depth_) {
      if (depth_ == 0) {
        frames_[record].dropped = true;
        dropped_.add(1);
        continue;
      }
      frames_[waiting_.front()].dropped = true;
      dropped_.add(1);
      waiting_.pop_front();
    }
    waiting_.push_back(record);
  }
}

void FramePipeline::dispatch(size_t record) {
  busy_ = true;
  queue_.requests.nb_write(static_cast<int64_t>(record));
}

void FramePipeline::on_done(int64_t request, const sc_core::sc_time& start,
                            const sc_core::sc_time& end) {
  FrameRecord& r = frames_[static_cast<size_t>(request)];
  r.start = start.to_seconds();
  r.end = end.to_seconds();
  completed_.add(1);
  busy_ = false;
  if (!waiting_.empty()) {
    const size_t next = waiting_.front();
    waiting_.pop_front();
    dispatch(next);
  }
}

}  // namespace strata
