#pragma once
// Output files are written to a temporary name in the target directory, then renamed: a reader
// never sees a half-written file, and a failed run leaves none behind.
#include <string>
#include <vector>

namespace strata {

// Writes all of `bytes` to `fd`, through short writes and EINTR: 0, or the errno of the failure
// (ENOSPC for a write that made no progress without a reason: a full disk, a file size limit).
int write_fully(int fd, const std::string& bytes);

// Creates the directory (and parents) if needed and checks it is writable; throws InputError.
void prepare_output_dir(const std::string& dir);

// Removes the directories prepare_output_dir created in this process that are still empty
// (deepest first): a command that fails leaves no empty output directory behind.
void remove_created_output_dirs();
// Forgets them (a command starts; a worker runs many).
void forget_created_output_dirs();

struct OutputFile {
  std::string name;  // file name inside the directory
  std::string content;
};

// Writes all files (temp + rename each); on any failure removes what it wrote and throws.
void write_outputs_atomically(const std::string& dir, const std::vector<OutputFile>& files);

}  // namespace strata
