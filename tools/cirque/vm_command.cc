#include "tools/cirque/vm_command.h"

#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>

#include "cirque_test/vm/vm_manager.h"

namespace cirque::cli {
namespace {

void PrintStatus(const vm::VmStatus& status) {
  if (!status.running) {
    std::printf("vm: not running\n");
    return;
  }
  std::printf("vm: running (pid %d, %s)\n", status.pid, status.accel.c_str());
  std::printf("  engine:  %s %s\n", status.docker_host.c_str(),
              status.engine_version.empty() ? "(not answering)" : status.engine_version.c_str());
  std::printf("  kernel:  %s\n", status.kernel_version.c_str());
  std::printf("  hwsim:   %s\n  netem:   %s\n", status.hwsim ? "yes" : "no", status.netem ? "yes" : "no");
}

}  // namespace

void AddVmCommand(CLI::App& app) {
  auto options = std::make_shared<vm::VmOptions>();
  CLI::App* vm_command = app.add_subcommand("vm", "A Docker engine on a kernel with hwsim and netem, in qemu");
  vm_command->require_subcommand(1);
  vm_command->add_option("--state-dir", options->state_dir, "kernel, disk and state (default /var/tmp/cirque/vm)");
  options->on_progress = [](std::string_view line) { std::cerr << line << std::endl; };

  CLI::App* up = vm_command->add_subcommand("up", "Boot the VM (or reuse a running one) and print its DOCKER_HOST");
  up->add_option("--port", options->port, "host port for the engine on 127.0.0.1 (default: a free one)");
  up->add_option("--accel", options->accel, "auto, kvm or tcg")->check(CLI::IsMember({"auto", "kvm", "tcg"}));
  up->add_option("--memory-mb", options->memory_mb, "guest memory");
  up->add_option("--cpus", options->cpus, "guest vCPUs (default: 2, or 1 on a one-core machine)")->check(CLI::Range(1, 16));
  up->add_option("--boot-timeout", [options](const CLI::results_t& values) {
    options->boot_timeout = std::chrono::seconds(std::stoi(values.front()));
    return true;
  }, "seconds to wait for the engine");
  up->add_flag("--no-images", [options](int64_t) { options->load_images = false; },
               "do not load the node images into the VM's engine");
  up->callback([options] {
    const auto started = std::chrono::steady_clock::now();
    vm::VmStatus status = vm::VmManager(*options).Up();
    std::cerr << "vm: up in "
              << std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count() / 1000.0
              << " s\n";
    std::printf("DOCKER_HOST=%s\n", status.docker_host.c_str());
  });

  vm_command->add_subcommand("down", "Shut the VM down")->callback([options] { vm::VmManager(*options).Down(); });
  vm_command->add_subcommand("status", "Show the VM, its kernel, hwsim, netem and engine")->callback([options] {
    PrintStatus(vm::VmManager(*options).Status());
  });
}

}  // namespace cirque::cli
