// The banked DRAM channel against closed forms from the standard's own timing (LPDDR4-3200,
// docs/references.md): streaming, row misses over every bank, read/write turnaround, refresh.
#include <gtest/gtest.h>

#include <random>

#include "hw_models/memory/banked_dram.h"
#include "hw_models/memory/dram_energy.h"

namespace strata {
namespace {

const BankedDramParams kLp4 = lpddr4_3200();
const DramTimingCycles& kT = kLp4.t;
const double kPeak = kLp4.peak_bytes_per_cycle();  // 4 B per DRAM cycle (x16, DDR)

TEST(BankedDram, LpddrPresetIsConsistent) {
  EXPECT_EQ(banked_dram_error(kLp4), "");
  EXPECT_EQ(kLp4.burst_bytes(), 32);
  EXPECT_DOUBLE_EQ(kLp4.peak_gbps(), 6.4);  // 3200 MT/s x 2 B
  EXPECT_EQ(kT.rc, kT.ras + kT.rp);
}

TEST(BankedDram, AddressBitsSelectColumnThenBankThenRow) {
  // Default mapping, from the least significant bits: 64 burst positions of a row, 8 banks, rows.
  const DramCoordinates a = decode_address(kLp4, 32 * 63);
  EXPECT_EQ(a.column, 63);
  EXPECT_EQ(a.bank, 0);
  const DramCoordinates b = decode_address(kLp4, 32 * 64);
  EXPECT_EQ(b.column, 0);
  EXPECT_EQ(b.bank, 1);
  const DramCoordinates c = decode_address(kLp4, 32 * 64 * 8 * 5 + 32 * 3);
  EXPECT_EQ(c.row, 5);
  EXPECT_EQ(c.bank, 0);
  EXPECT_EQ(c.column, 3);
  BankedDramParams bad = kLp4;
  bad.mapping.order = {"column", "bank", "bank", "rank", "channel", "row"};
  EXPECT_EQ(banked_dram_error(bad),
            "dram.address_mapping: names \"bank_group\" 0 times; it names each of row, rank, "
            "bank, bank_group, channel, column once");
  bad = kLp4;
  bad.banks_per_group = 6;
  EXPECT_NE(banked_dram_error(bad).find("dram.banks_per_group: 6 not a power of two"),
            std::string::npos)
      << banked_dram_error(bad);
}

// Streaming reads with open pages: a row's 64 bursts are hits, the next bank's row is opened
// ahead of need, so only refresh stops the bus. Each refresh waits for the open bank to close
// (tRTP, then tRP), refreshes (tRFC) and reopens a row (tRCD) before data flows again, less the
// burst still on the bus: tRTP + tRP + tRFC + tRCD - tBURST = 510 of every 6,246 cycles.
TEST(BankedDram, StreamingReadsReachPeakLessRefresh) {
  BankedDram d(kLp4);
  const int64_t bytes = int64_t{4} << 20;
  const int64_t end = d.access(0, 0, bytes, false);
  const double achieved = static_cast<double>(bytes) / static_cast<double>(end);
  const double lost = static_cast<double>(kT.rtp + kT.rp + kT.rfc + kT.rcd - kT.burst);
  const double closed_form = kPeak * (1.0 - lost / static_cast<double>(kT.refi));
  EXPECT_GE(achieved, 0.9 * kPeak);
  EXPECT_NEAR(achieved / closed_form, 1.0, 0.01) << achieved << " vs " << closed_form;
  // 63 hits per row switch, less the rows refresh closes.
  EXPECT_GT(d.stats().row_hits, 50 * (d.stats().row_misses + d.stats().row_conflicts));
}

// Reads that miss the row every time, spread over all 8 banks: each ACT waits tRRD after the
// last, at most four in tFAW, and a bank reopens tRC after its last ACT; one 32 B burst per ACT.
TEST(BankedDram, RowMissesAreBoundByTrrdTfawAndTrc) {
  BankedDram d(kLp4);
  std::mt19937_64 rng(7);
  const int64_t n = 40000;
  int64_t end = 0;
  for (int64_t i = 0; i < n; ++i) {
    const int64_t row = static_cast<int64_t>(rng() % 65536);
    const int64_t bank = i % 8;
    end = d.access(0, ((row * 8 + bank) * 64) * 32, 32, false);
  }
  const double per_act = std::max(
      {static_cast<double>(kT.rrd_s), kT.faw / 4.0, kT.rc / 8.0, static_cast<double>(kT.burst)});
  // Refresh closes the banks for tRFC (and their precharge, tRP) every tREFI.
  const double bound = 32.0 / per_act * (1.0 - static_cast<double>(kT.rfc + kT.rp) / kT.refi);
  const double achieved = 32.0 * n / static_cast<double>(end);
  EXPECT_NEAR(achieved / bound, 1.0, 0.05) << achieved << " vs " << bound;
  EXPECT_EQ(d.stats().row_hits, 0);
}

// Alternating reads and writes to one open row: a write waits tRTW after a read's command, a read
// tWTR after a write's data (tCWL + tBURST after its command): 2 bursts per tRTW + tCWL + tBURST
// + tWTR cycles.
TEST(BankedDram, ReadWriteTurnaroundSetsTheRate) {
  BankedDram d(kLp4);
  const int64_t pairs = 20000;
  int64_t end = 0;
  for (int64_t i = 0; i < pairs; ++i) {
    const int64_t col = (2 * i) % 64;
    end = d.access(0, col * 32, 32, false);
    end = d.access(0, (col + 1) * 32, 32, true);
  }
  const double cycle = static_cast<double>(kT.rtw + kT.cwl + kT.burst + kT.wtr_l);
  const double refresh = 1.0 - static_cast<double>(kT.rfc + kT.rp + kT.rcd) / kT.refi;
  const double bound = 64.0 / cycle * refresh;
  const double achieved = 64.0 * pairs / static_cast<double>(end);
  EXPECT_NEAR(achieved / bound, 1.0, 0.05) << achieved << " vs " << bound;
}

TEST(BankedDram, RefreshAloneTakesTrfcOfEveryTrefi) {
  BankedDram d(kLp4);
  const int64_t span = 1000 * kT.refi;
  d.idle_until(span);
  const double share = static_cast<double>(d.stats().refresh_cycles) / span;
  EXPECT_NEAR(share / (static_cast<double>(kT.rfc) / kT.refi), 1.0, 0.01);
  EXPECT_EQ(d.stats().refreshes, 1000);
}

TEST(BankedDram, ClosedPagesTurnEveryStreamAccessIntoAMiss) {
  BankedDramParams closed = kLp4;
  closed.page = PagePolicy::kClosed;
  BankedDram open_page(kLp4), closed_page(closed);
  const int64_t bytes = 256 << 10;
  const int64_t open_end = open_page.access(0, 0, bytes, false);
  const int64_t closed_end = closed_page.access(0, 0, bytes, false);
  EXPECT_EQ(closed_page.stats().row_hits, 0);
  EXPECT_GT(closed_end, 2 * open_end);
}

}  // namespace
}  // namespace strata

namespace strata {
namespace {

// Bank groups: consecutive bursts in one group wait tCCD_L, in another tCCD_S. A toy DDR4-like
// channel (BL8: 4 data cycles a burst; tCCD_S 4, tCCD_L 8) streams at the full rate when the
// address mapping alternates groups and at half of it when a row's bursts stay in one group.
TEST(BankedDram, BankGroupsSetTheColumnSpacing) {
  BankedDramParams p = lpddr4_3200();
  p.bus_bits = 64;
  p.burst_length = 8;
  p.bank_groups = 4;
  p.banks_per_group = 4;
  p.t.burst = 4;
  p.t.ccd_s = 4;
  p.t.ccd_l = 8;
  p.t.refi = 1 << 30;  // no refresh in this test
  p.t.rfc = 1;
  ASSERT_EQ(banked_dram_error(p), "");
  BankedDramParams alternating = p;
  alternating.mapping.order = {"bank_group", "column", "bank", "rank", "channel", "row"};
  BankedDram same(p), across(alternating);
  // The first 32 KiB of the column-first mapping are the four banks of bank group 0 (512
  // bursts); their first data waits tRCD + tCL (57 of ~4,100 cycles).
  const int64_t in_one_group = 32 << 10, bytes = 1 << 20;
  const double same_rate =
      static_cast<double>(in_one_group) / same.access(0, 0, in_one_group, false);
  const double across_rate = static_cast<double>(bytes) / across.access(0, 0, bytes, false);
  EXPECT_NEAR(across_rate / p.peak_bytes_per_cycle(), 1.0, 0.01);
  EXPECT_NEAR(same_rate / p.peak_bytes_per_cycle(), 0.5, 0.02);
}

}  // namespace
}  // namespace strata

namespace strata {
namespace {

// A streaming read's energy per bit against the datasheet's own figure for continuous reads: the
// IDD4R current (which includes the standby it reads over) on each supply for a burst's time, per
// burst bit. Row switches (an ACT per 64 bursts) and refresh add a little on top.
TEST(BankedDram, StreamingReadEnergyPerBitMatchesIdd4r) {
  const DramCurrents c = lpddr4_3200_currents();
  BankedDram d(kLp4);
  const int64_t bytes = int64_t{4} << 20;
  const int64_t end = d.access(0, 0, bytes, false);
  const DramEnergyPj e = dram_energy(kLp4, c, d.stats(), end, d.active_cycles(end));
  const double per_bit = e.total() / (8.0 * bytes);
  const double tck_ns = 1000.0 / kLp4.clock_mhz;
  double idd4r_per_burst = 0;
  for (const DramSupply& s : c.supplies) idd4r_per_burst += s.volts * s.idd4r * kT.burst * tck_ns;
  const double datasheet = idd4r_per_burst / (8.0 * kLp4.burst_bytes());
  EXPECT_NEAR(per_bit / datasheet, 1.0, 0.10) << per_bit << " vs " << datasheet << " pJ/bit";
  // Open pages: some bank is open nearly all the time; refresh closes them for tRFC.
  EXPECT_GT(d.active_cycles(end), end * 9 / 10);
  EXPECT_GT(e.read, 0.8 * e.total());
}

}  // namespace
}  // namespace strata

namespace strata {
namespace {

// The same closed forms for every preset (docs/dram.md, "Checks").
class EveryPreset : public ::testing::TestWithParam<std::string> {
 protected:
  DramPreset preset = dram_preset(GetParam());
  const BankedDramParams& p = preset.params;
  const DramTimingCycles& t = preset.params.t;

  // The address of a burst at these coordinates under the preset's mapping (decode's inverse).
  int64_t encode(const DramCoordinates& c) const {
    int64_t address = 0;
    int shift = 0;
    for (const std::string& f : p.mapping.order) {
      int64_t value = 0, size = 0;
      if (f == "column") value = c.column, size = p.columns / p.burst_length;
      if (f == "channel") value = c.channel, size = p.channels;
      if (f == "bank_group") value = c.bank_group, size = p.bank_groups;
      if (f == "bank") value = c.bank, size = p.banks_per_group;
      if (f == "rank") value = c.rank, size = p.ranks;
      if (f == "row") value = c.row, size = p.rows;
      address |= value << shift;
      while (size > 1) {
        size >>= 1;
        ++shift;
      }
    }
    return address * p.burst_bytes();
  }
};

TEST_P(EveryPreset, IsValidAndRoundTripsAddresses) {
  EXPECT_EQ(banked_dram_error(p), "");
  const DramCoordinates c{0, 0, p.bank_groups - 1, p.banks_per_group - 1, p.rows - 3, 5};
  const DramCoordinates d = decode_address(p, encode(c));
  EXPECT_EQ(d.bank_group, c.bank_group);
  EXPECT_EQ(d.bank, c.bank);
  EXPECT_EQ(d.row, c.row);
  EXPECT_EQ(d.column, c.column);
}

// Streaming reads with open pages: the bus stops only for refresh, which waits for the last read
// to close its row (tRTP, tRP), refreshes (tRFC) and reopens one (tRCD) before data flows again,
// less the burst still on the bus. Row switches hide under other banks' bursts (FR-FCFS opens the
// next row ahead), so the closed form is peak x (1 - (tRTP + tRP + tRFC + tRCD - tBURST) / tREFI).
TEST_P(EveryPreset, StreamingReadsReachPeakLessRefresh) {
  BankedDram d(p);
  const int64_t bytes = int64_t{8} << 20;
  const int64_t end = d.access(0, 0, bytes, false);
  const double peak = p.peak_bytes_per_cycle();
  const double achieved = static_cast<double>(bytes) / static_cast<double>(end);
  const double lost = static_cast<double>(t.rtp + t.rp + t.rfc + t.rcd - t.burst);
  const double closed_form = peak * (1.0 - lost / static_cast<double>(t.refi));
  EXPECT_GE(achieved, 0.9 * peak);
  EXPECT_NEAR(achieved / closed_form, 1.0, 0.01) << achieved << " vs " << closed_form;
  RecordProperty("streaming_gbps", std::to_string(achieved * p.clock_mhz / 1000.0));
}

// Every read opens a new row, the bursts spread over all banks with consecutive ACTs in other bank
// groups: one burst per ACT, and ACTs at most one per tRRD_S, four per tFAW, one per bank per
// tRC; refresh closes the banks for tRFC (and their precharge) every tREFI.
TEST_P(EveryPreset, RowMissesAreBoundByTrrdTfawAndTrc) {
  BankedDram d(p);
  std::mt19937_64 rng(7);
  const int64_t n = 40000, banks = p.bank_groups * p.banks_per_group;
  int64_t end = 0;
  for (int64_t i = 0; i < n; ++i) {
    const int64_t b = i % banks;
    const DramCoordinates c{0,
                            0,
                            b % p.bank_groups,
                            b / p.bank_groups,
                            static_cast<int64_t>(rng() % static_cast<uint64_t>(p.rows)),
                            0};
    end = d.access(0, encode(c), p.burst_bytes(), false);
  }
  const double per_act = std::max({static_cast<double>(t.rrd_s), t.faw / 4.0,
                                   static_cast<double>(t.rc) / static_cast<double>(banks),
                                   static_cast<double>(t.burst)});
  const double bound = static_cast<double>(p.burst_bytes()) / per_act *
                       (1.0 - static_cast<double>(t.rfc + t.rp) / static_cast<double>(t.refi));
  const double achieved = static_cast<double>(p.burst_bytes() * n) / static_cast<double>(end);
  EXPECT_NEAR(achieved / bound, 1.0, 0.05) << achieved << " vs " << bound;
  EXPECT_LT(d.stats().row_hits, n / 1000);  // a random row repeats in its bank only by chance
  RecordProperty("row_miss_gbps", std::to_string(achieved * p.clock_mhz / 1000.0));
}

// Alternating reads and writes to one open row: a write waits tRTW after a read's command, a read
// tWTR_L after a write's data (tCWL + tBURST after its command): two bursts per
// tRTW + tCWL + tBURST + tWTR_L cycles.
TEST_P(EveryPreset, ReadWriteTurnaroundSetsTheRate) {
  BankedDram d(p);
  const int64_t pairs = 20000, row_bursts = p.columns / p.burst_length;
  int64_t end = 0;
  for (int64_t i = 0; i < pairs; ++i) {
    const int64_t col = (2 * i) % row_bursts;
    end = d.access(0, encode({0, 0, 0, 0, 0, col}), p.burst_bytes(), false);
    end = d.access(0, encode({0, 0, 0, 0, 0, col + 1}), p.burst_bytes(), true);
  }
  const double cycle = static_cast<double>(t.rtw + t.cwl + t.burst + t.wtr_l);
  const double refresh = 1.0 - static_cast<double>(t.rfc + t.rp + t.rcd) / t.refi;
  const double bound = 2.0 * p.burst_bytes() / cycle * refresh;
  const double achieved = 2.0 * p.burst_bytes() * pairs / static_cast<double>(end);
  EXPECT_NEAR(achieved / bound, 1.0, 0.05) << achieved << " vs " << bound;
}

TEST_P(EveryPreset, RefreshAloneTakesTrfcOfEveryTrefi) {
  BankedDram d(p);
  const int64_t span = 1000 * t.refi;
  d.idle_until(span);
  const double share = static_cast<double>(d.stats().refresh_cycles) / span;
  EXPECT_NEAR(share / (static_cast<double>(t.rfc) / t.refi), 1.0, 0.01);
  EXPECT_EQ(d.stats().refreshes, 1000);
}

// A streaming read's energy per bit against the datasheet's figure for continuous reads (IDD4R
// on each supply over a burst, every die on the channel); where the preset has no datasheet
// currents, the pJ/bit figure it is given instead.
TEST_P(EveryPreset, StreamingReadEnergyPerBitMatchesTheDatasheet) {
  BankedDram d(p);
  const int64_t bytes = int64_t{4} << 20;
  const int64_t end = d.access(0, 0, bytes, false);
  const DramCurrents& c = preset.currents;
  const DramEnergyPj e = dram_energy(p, c, d.stats(), end, d.active_cycles(end), 3.9);
  const double per_bit = e.total() / (8.0 * bytes);
  if (c.supplies.empty()) {
    EXPECT_DOUBLE_EQ(per_bit, 3.9);
    return;
  }
  double idd4r_per_burst = 0;
  for (const DramSupply& s : c.supplies) {
    idd4r_per_burst += s.volts * s.idd4r * static_cast<double>(t.burst) * (1000.0 / p.clock_mhz);
  }
  const double datasheet = idd4r_per_burst * static_cast<double>(c.devices_per_channel) /
                           (8.0 * static_cast<double>(p.burst_bytes()));
  EXPECT_NEAR(per_bit / datasheet, 1.0, 0.10) << per_bit << " vs " << datasheet << " pJ/bit";
  RecordProperty("streaming_pj_per_bit", std::to_string(per_bit));
}

}  // namespace
}  // namespace strata

namespace strata {
namespace {

bool same_stats(const BankedDramStats& a, const BankedDramStats& b) {
  return a.reads == b.reads && a.writes == b.writes && a.row_hits == b.row_hits &&
         a.row_misses == b.row_misses && a.row_conflicts == b.row_conflicts &&
         a.activates == b.activates && a.precharges == b.precharges && a.refreshes == b.refreshes &&
         a.refresh_cycles == b.refresh_cycles && a.data_cycles == b.data_cycles &&
         a.queue_delay_cycles == b.queue_delay_cycles && a.active_cycles == b.active_cycles;
}

// The fast-forward over a long stream's steady state gives exactly what simulating every burst
// gives: the same end, every counter the same, on every preset, for reads and writes, after other
// traffic, across refreshes, with several channels and a closed-page policy.
TEST_P(EveryPreset, FastForwardChangesNothing) {
  for (const int64_t channels : {int64_t{1}, int64_t{4}}) {
    for (const PagePolicy page : {PagePolicy::kOpen, PagePolicy::kClosed}) {
      BankedDramParams q = p;
      q.channels = channels;
      q.page = page;
      q.mapping.channel_interleave_bytes = channels > 1 ? 256 : 0;
      BankedDram fast(q), slow(q);
      slow.set_fast_forward(false);
      const struct {
        int64_t at, address, bytes;
        bool write;
      } requests[] = {{0, 0, 3 << 20, false},
                      {100, 12345 * 64, 64 << 10, true},
                      {50000, 40 << 20, 6 << 20, true},
                      {60000, 7 << 20, 5 << 20, false},
                      {5'000'000, 1 << 20, 33, false}};
      for (const auto& r : requests) {
        const int64_t f = fast.access(r.at, r.address, r.bytes, r.write);
        const int64_t s = slow.access(r.at, r.address, r.bytes, r.write);
        ASSERT_EQ(f, s) << GetParam() << " channels " << channels << " request at " << r.address;
        ASSERT_TRUE(same_stats(fast.stats(), slow.stats()))
            << GetParam() << " channels " << channels << " request at " << r.address << ": reads "
            << fast.stats().reads << " vs " << slow.stats().reads << ", delay "
            << fast.stats().queue_delay_cycles << " vs " << slow.stats().queue_delay_cycles
            << ", active " << fast.stats().active_cycles << " vs " << slow.stats().active_cycles;
      }
      EXPECT_EQ(fast.active_cycles(1 << 30), slow.active_cycles(1 << 30));
    }
  }
}

// The same on random traffic: sizes from a byte to 256 KiB at random addresses, reads and writes,
// requests made early, late and out of time order.
TEST_P(EveryPreset, FastForwardChangesNothingOnRandomTraffic) {
  for (const int64_t channels : {int64_t{1}, int64_t{2}, int64_t{4}}) {
    BankedDramParams q = p;
    q.channels = channels;
    q.mapping.channel_interleave_bytes = (channels == 4 ? 8 : 2) * q.burst_bytes();
    BankedDram fast(q), slow(q);
    slow.set_fast_forward(false);
    std::mt19937_64 rng(11 + static_cast<uint64_t>(channels));
    int64_t at = 0;
    for (int i = 0; i < 400; ++i) {
      at += static_cast<int64_t>(rng() % 3000) - 500;
      const int64_t address = static_cast<int64_t>(rng() % (int64_t{1} << 28));
      const int64_t bytes = 1 + static_cast<int64_t>(rng() % (i % 7 == 0 ? 262144 : 4096));
      const bool write = rng() % 3 == 0;
      ASSERT_EQ(fast.access(std::max<int64_t>(0, at), address, bytes, write),
                slow.access(std::max<int64_t>(0, at), address, bytes, write))
          << GetParam() << " request " << i;
      ASSERT_TRUE(same_stats(fast.stats(), slow.stats())) << GetParam() << " request " << i;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Presets, EveryPreset, ::testing::ValuesIn(dram_preset_names()),
                         [](const ::testing::TestParamInfo<std::string>& i) { return i.param; });

}  // namespace
}  // namespace strata

namespace strata {
namespace {

// Channel interleaving: 256 B blocks go to consecutive channels; the bits below keep the
// mapping's order (on DDR4 the bank groups stay lowest, so a block still alternates them).
TEST(BankedDram, ChannelInterleaveSplitsTheMappingAtItsGranularity) {
  BankedDramParams p = dram_preset("ddr4_3200").params;
  p.channels = 4;
  p.mapping.channel_interleave_bytes = 256;
  ASSERT_EQ(banked_dram_error(p), "");
  for (int64_t a = 0; a < 4 * 256; a += 64) {
    const DramCoordinates c = decode_address(p, a);
    EXPECT_EQ(c.channel, a / 256);
    EXPECT_EQ(c.bank_group, (a / 64) % 4);
    EXPECT_EQ(c.column, 0);
  }
  const DramCoordinates next = decode_address(p, 4 * 256);
  EXPECT_EQ(next.channel, 0);
  EXPECT_EQ(next.column, 1);
  // Four channels stream four times one: a 4 MiB read at the four channels' peak less refresh.
  BankedDram one(dram_preset("ddr4_3200").params), four(p);
  const int64_t bytes = int64_t{4} << 20;
  const double ratio = static_cast<double>(one.access(0, 0, bytes, false)) /
                       static_cast<double>(four.access(0, 0, bytes, false));
  EXPECT_NEAR(ratio, 4.0, 0.1);
}

}  // namespace
}  // namespace strata
