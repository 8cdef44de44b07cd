#include "hw_models/pipeline/host_kernels.h"

#include <cmath>
#include <stdexcept>

namespace strata {

const std::map<std::string, HostKernel>& host_kernel_table() {
  static const std::map<std::string, HostKernel> t = {
      {"image_preprocess",
       {"pixel", 12, 0,
        "bilinear resize (4 reads, 3 interpolations per channel), scale and offset, HWC to CHW: "
        "~36 scalar operations per RGB pixel on 4-wide SIMD, with load overhead ~12 cycles"}},
      {"feature_extraction",
       {"pixel", 40, 1.0e6,
        "FAST-9 corner test over a 1.33x image pyramid (~30 operations per pixel with early exit) "
        "per pixel; ORB descriptors of ~1,000 keypoints (256 intensity tests, ~4 operations each) "
        "per call"}},
      {"lidar_projection",
       {"point", 25, 0,
        "3x4 extrinsic transform (12 multiply-adds), perspective divide, bounds check, "
        "depth-buffer "
        "compare and write: ~25 operations per point"}},
      {"voxelization",
       {"point", 40, 0,
        "three scales and floors, a hash of the voxel index, a hash-table insert with one probe: "
        "~40 operations per point"}},
      {"sparse_to_dense_motion",
       {"pixel", 60, 0,
        "each pixel's motion from the projected points in a 5x5 window, inverse-distance "
        "weighted: ~25 neighbour reads and ~35 arithmetic operations per pixel"}},
      {"icp",
       {"point", 2000, 3000,
        "10 iterations of point-to-plane ICP: per point a k-d tree nearest neighbour (~17 levels "
        "x ~10 operations with backtracking, ~150) and the residual and 6x6 normal-equation "
        "update (~50); per iteration a 6x6 solve (~300)"}},
      {"imu_propagation",
       {"sample", 8000, 0,
        "15-state error-state EKF propagation per IMU sample: F P F^T + Q with 15x15 matrices "
        "(2 x 15^3 = 6,750 multiply-adds) and the nominal-state integration"}},
      {"ekf_update",
       {"feature", 3000, 20000,
        "per feature: a 2x15 Jacobian, its product with P (450 multiply-adds) and gating; per "
        "update: the innovation covariance inverse, Kalman gain and 15x15 P update (~2 x 15^3)"}},
      {"occupancy_grid",
       {"point", 300, 0,
        "ray-cast of each range point through ~30 cells (Bresenham step and log-odds update, ~10 "
        "operations per cell)"}},
      {"path_planning",
       {"expansion", 500, 0,
        "A* on a grid: a binary-heap pop (~13 compares at 10k open nodes) and 8 neighbours, each "
        "with a collision lookup and a heap push: ~500 operations per expansion"}},
      {"mpc_control",
       {"iteration", 40000, 0,
        "condensed QP of a 20-step horizon, 12 states and 4 inputs (80 variables): one ADMM "
        "iteration ~6 x 80^2 multiply-adds"}},
  };
  return t;
}

int64_t host_kernel_cycles(const HostKernel& kernel, int64_t elements) {
  const double cycles =
      std::ceil(kernel.fixed_cycles + kernel.cycles_per_element * static_cast<double>(elements));
  if (!(cycles < 9e18)) throw std::overflow_error("host kernel cycles overflow");
  return static_cast<int64_t>(cycles);
}

}  // namespace strata
