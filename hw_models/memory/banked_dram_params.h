#pragma once
// A banked DRAM's validated parameters (docs/dram.md): geometry, the standard's timing in DRAM
// clock cycles, the address mapping, the page policy, and the device currents its energy comes
// from. Filled from a preset (dram_presets.cpp) and the config's overrides; never parsed here.
#include <cstdint>
#include <string>
#include <vector>

namespace strata {

struct DramTimingCycles {
  int64_t rcd = 0;     // ACT to a read (and to a write, unless rcd_wr is set)
  int64_t rcd_wr = 0;  // ACT to a write where it differs (HBM2's tRCDWR); 0: rcd
  int64_t rp = 0, cl = 0, cwl = 0, ras = 0, rc = 0;
  int64_t rrd_s = 0, rrd_l = 0, ccd_s = 0, ccd_l = 0, faw = 0;
  // A write's data end to the next read command: to another bank group (tWTR_S) or the same
  // (tWTR_L); one figure where the standard has one.
  int64_t wtr_s = 0, wtr_l = 0;
  int64_t rtw = 0;  // a read command to the next write command
  int64_t rtp = 0, wr = 0;
  int64_t burst = 0;  // data cycles of one burst (burst length / data rate)
  int64_t refi = 0, rfc = 0;
};

enum class PagePolicy { kOpen, kClosed };

// Which address bits select what, from the least significant up: the byte within a burst is
// always lowest, then the fields in `order` ("column", "channel", "bank_group", "bank", "rank",
// "row"), each as many bits as the geometry needs. `channel_interleave_bytes` (0: off) puts the
// channel bits right above that many bytes, splitting the column field around them.
struct DramAddressMapping {
  std::vector<std::string> order = {"column", "bank", "bank_group", "rank", "channel", "row"};
  int64_t channel_interleave_bytes = 0;
};

struct BankedDramParams {
  double clock_mhz = 1600;  // tCK = 1 / clock
  int64_t data_rate = 2;    // transfers per clock (DDR)
  int64_t bus_bits = 16;    // the channel's data width
  int64_t burst_length = 16;
  int64_t channels = 1, ranks = 1, bank_groups = 1, banks_per_group = 8;
  int64_t rows = 65536, columns = 1024;  // columns: bus-wide words per row
  DramTimingCycles t;
  PagePolicy page = PagePolicy::kOpen;
  DramAddressMapping mapping;
  int64_t queue_depth = 32;  // bursts the controller may reorder among

  int64_t burst_bytes() const { return bus_bits / 8 * burst_length; }
  int64_t banks() const { return ranks * bank_groups * banks_per_group; }
  int64_t row_bytes() const { return columns * bus_bits / 8; }
  // Peak bytes per DRAM cycle over all channels.
  double peak_bytes_per_cycle() const {
    return static_cast<double>(channels * bus_bits / 8 * data_rate);
  }
  double peak_gbps() const { return peak_bytes_per_cycle() * clock_mhz / 1000.0; }
  double tck_ps() const { return 1e6 / clock_mhz; }
};

// A device's currents (mA) on each supply, as datasheets give them: IDD0 (one bank activated and
// precharged every tRC), IDD2N / IDD3N (precharged / active standby), IDD4R / IDD4W (bursts of
// reads / writes), IDD5AB (all-bank refresh).
struct DramSupply {
  double volts = 0;
  double idd0 = 0, idd2n = 0, idd3n = 0, idd4r = 0, idd4w = 0, idd5ab = 0;
};
struct DramCurrents {
  std::vector<DramSupply> supplies;  // empty: no datasheet currents (energy per bit instead)
  int64_t devices_per_channel = 1;   // dies side by side on one channel
};

// A standard's part: its timing and geometry, and the currents where a datasheet gives them.
struct DramPreset {
  std::string name;
  BankedDramParams params;
  DramCurrents currents;
};

// The presets by name (docs/dram.md, docs/references.md §11 for every number's source).
const std::vector<std::string>& dram_preset_names();
// Throws std::invalid_argument for an unknown name.
DramPreset dram_preset(const std::string& name);
// JEDEC LPDDR4-3200, 8 Gb, one x16 channel.
BankedDramParams lpddr4_3200();
DramCurrents lpddr4_3200_currents();

// Where a burst goes.
struct DramCoordinates {
  int64_t channel = 0, rank = 0, bank_group = 0, bank = 0, row = 0, column = 0;
};

// The mapping made into bit fields once (the simulation decodes every burst).
class DramDecodePlan {
 public:
  DramDecodePlan() = default;
  explicit DramDecodePlan(const BankedDramParams& p);
  DramCoordinates decode(int64_t address) const;
  // A sequential walk: the address's digits (one per field step) and coordinates, advanced by
  // whole bursts without decoding again.
  struct Cursor {
    uint64_t digit[8] = {};
    int64_t field[6] = {};  // indexed by Field
    DramCoordinates at;
  };
  Cursor cursor(int64_t address) const;
  // Returns whether the walk reached the start of a row span (row_span_bytes()).
  bool advance(Cursor& c, int64_t bursts) const;
  // Channel-interleaved columns: the lowest fields are `low` column bits, the channel's bits,
  // then `high` more column bits (a row of every channel striped in blocks of 2^low bursts).
  struct Stripes {
    int low = 0, channel = 0, high = 0;
  };
  bool stripes(Stripes& s) const {
    if (steps_.size() < 3 || steps_[0].field != kColumn || steps_[1].field != kChannel ||
        steps_[2].field != kColumn || steps_[0].bits == 0)
      return false;
    s = {steps_[0].bits, steps_[1].bits, steps_[2].bits};
    return true;
  }
  // Bursts from the cursor to the end of its column run (column_run).
  int64_t column_run(const Cursor& c) const {
    if (steps_.empty() || steps_.front().field != kColumn) return 1;
    return static_cast<int64_t>(steps_.front().mask + 1 - c.digit[0]);
  }
  // Bytes between consecutive rows of one bank when the row is the most significant field (every
  // bank and channel in between), else 0.
  int64_t row_span_bytes() const { return row_span_bytes_; }
  // Bursts from `address` on that share its row, bank and channel and differ only in the column,
  // counting up (the lowest field is the column's): at least 1.
  int64_t column_run(int64_t address) const {
    if (steps_.empty() || steps_.front().field != kColumn) return 1;
    const uint64_t mask = steps_.front().mask;
    return static_cast<int64_t>(mask + 1 - (static_cast<uint64_t>(address / burst_bytes_) & mask));
  }

 private:
  enum Field { kColumn, kChannel, kBankGroup, kBank, kRank, kRow };
  struct Step {
    Field field;
    int bits;
    int shift;  // where these bits land in the field (the column may be split in two)
    uint64_t mask;
  };
  std::vector<Step> steps_;
  int64_t burst_bytes_ = 1;
  int64_t row_span_bytes_ = 0;
};
inline DramDecodePlan dram_decode_plan(const BankedDramParams& p) { return DramDecodePlan(p); }
DramCoordinates decode_address(const BankedDramParams& p, int64_t address);

// Empty if the parameters can be simulated, else what is wrong, naming the parameter as the
// config names it (dram.<key>): a geometry that is zero or not a power of two, a mapping that
// loses or repeats a field, timing that cannot be met (tRC below tRAS + tRP, tREFI not above
// tRFC, ...).
std::string banked_dram_error(const BankedDramParams& p);

}  // namespace strata
