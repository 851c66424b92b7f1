# shellcheck shell=bash
# The CPU kernel pins of every process sltk starts (issue 15): sourced by ./sltk,
# scripts/notebooks.sh and scripts/torch-bridge.sh. libtorch picks its CPU kernels by the
# instruction set of the machine (oneDNN's convolutions, ATen's vectorised kernels, MKL's
# GEMM), so an AVX-512 machine runs other kernels than an AVX2 one, rounds differently and
# does not train bit-identically; these variables cap all three at AVX2.
#
# One NAME=value per line between the markers: the list is read as data too, by
# org.sltk.util.CpuKernels (its PINS must match) and by CpuKernelsTest, which also checks the
# surefire environment of pom.xml against it. A variable the user already set (even to an
# empty value) is left alone. SLTK_CPU_KERNEL_VARS (a shell variable) lists the names.
# --- pins ---
# DNNL_MAX_CPU_ISA=AVX2
# ATEN_CPU_CAPABILITY=avx2
# MKL_ENABLE_INSTRUCTIONS=AVX2
# --- end ---
#
# ATEN_CPU_CAPABILITY is not a cap but a choice: on a CPU without AVX2 (or not x86-64) it is
# not set, so ATen keeps its default there. The other two are upper bounds and always safe.
sltk_cpu_kernels() {
  local line name value
  local x86_avx2=0
  SLTK_CPU_KERNEL_VARS=""
  if [ "$(uname -m 2>/dev/null)" = x86_64 ] && grep -qw avx2 /proc/cpuinfo 2>/dev/null; then
    x86_avx2=1
  fi
  while IFS= read -r line; do
    case "$line" in
      '# --- pins ---') local in_pins=1; continue ;;
      '# --- end ---') break ;;
    esac
    [ -n "${in_pins:-}" ] || continue
    line="${line#\# }"
    name="${line%%=*}"
    value="${line#*=}"
    SLTK_CPU_KERNEL_VARS="${SLTK_CPU_KERNEL_VARS:+$SLTK_CPU_KERNEL_VARS }$name"
    [ -z "${!name+x}" ] || continue
    if [ "$name" = ATEN_CPU_CAPABILITY ] && [ "$x86_avx2" != 1 ]; then
      continue
    fi
    export "$name=$value"
  done < "${BASH_SOURCE[0]}"
}
sltk_cpu_kernels
