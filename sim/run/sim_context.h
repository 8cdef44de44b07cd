#pragma once
// Many simulations in one process (docs/performance.md). SystemC 2.3 elaborates a module tree
// once per simulation context and keeps the context in a process-wide pointer; a fresh context
// per run lets one process run many simulations, each from time zero with its own module names.
// The first context is never deleted: SystemC's own global events (sc_event::none and the
// process handles' non-event) were made in it and stay bound to it until the process exits.
namespace strata {

// Makes a new, empty simulation context current when the current one has modules or has run, and
// deletes the one before it (unless it is the process's first). Call between runs, never while a
// simulation is elaborating or running, and only when no module of the old context is alive.
void use_fresh_simulation_context();

}  // namespace strata
