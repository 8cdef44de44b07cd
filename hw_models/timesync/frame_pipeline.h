#pragma once
// Camera frames to inference requests: each frame arriving at the accelerator becomes a request
// to the SoC's controller. One inference runs at a time; frames arriving while it is busy wait in
// a queue of bounded depth, and when the queue is full the oldest waiting frame is dropped (a
// perception stack wants the freshest frame). Per frame: exposure, arrival, start, end.
#include <deque>
#include <map>
#include <systemc>
#include <vector>

#include "hw_models/common/stats.h"
#include "hw_models/soc/controller.h"
#include "hw_models/timesync/sensor.h"

namespace strata {

struct FrameRecord {
  SensorFrame frame;
  double start = -1, end = -1;  // inference (s); -1: not started / not finished
  bool dropped = false;
};

class FramePipeline : public sc_core::sc_module {
 public:
  FramePipeline(sc_core::sc_module_name name, int64_t queue_depth, InferenceQueue& queue);

  // A frame that will reach the accelerator at frame.arrival (>= now).
  void submit(const SensorFrame& frame);
  const std::vector<FrameRecord>& frames() const { return frames_; }

 private:
  SC_HAS_PROCESS(FramePipeline);
  void on_arrival();
  void dispatch(size_t record);
  void on_done(int64_t request, const sc_core::sc_time& start, const sc_core::sc_time& end);

  int64_t depth_;
  InferenceQueue& queue_;
  sc_core::sc_event_queue arrivals_;
  std::multimap<double, size_t> pending_;  // arrival time -> record
  std::deque<size_t> waiting_;
  bool busy_ = false;
  std::vector<FrameRecord> frames_;
  StatGroup stats_;
  Counter& submitted_;
  Counter& completed_;
  Counter& dropped_;
};

}  // namespace strata
