// Helpers shared by the bridge's natives, and the bridge's marker string.
#include "bridge.h"

#include <stdexcept>

// Found by `sltk --version` (and scripts/torch-bridge.sh) in the JNI file DJL loaded, to tell
// the project's bridge from DJL's prebuilt libdjl_torch.so.
extern "C" __attribute__((visibility("default"), used)) const char sltk_bridge_marker[] =
    "SLTK-JNI-BRIDGE 1 (sltk's own JNI bridge for DJL 0.36.0; built against libtorch "
    SLTK_TORCH_VERSION ")";

namespace sltk_bridge {

void ThrowEngineException(JNIEnv* env, const char* message) {
  if (env->ExceptionCheck()) {
    return;  // a Java exception is already pending; keep it
  }
  jclass cls = env->FindClass("ai/djl/engine/EngineException");
  if (cls == nullptr) {
    env->ExceptionClear();
    cls = env->FindClass("java/lang/RuntimeException");
  }
  env->ThrowNew(cls, message);
}

c10::ScalarType ToScalarType(jint djl_dtype) {
  switch (djl_dtype) {
    case 0: return at::kFloat;
    case 1: return at::kDouble;
    case 2: return at::kHalf;
    case 3: return at::kByte;
    case 4: return at::kInt;
    case 5: return at::kChar;
    case 6: return at::kLong;
    case 7: return at::kBool;
    case 8: return at::kComplexFloat;
    case 11: return at::kBFloat16;
    case 15: return at::kShort;
    default:
      throw std::invalid_argument("sltk bridge: unsupported DJL data type ordinal " +
                                  std::to_string(djl_dtype));
  }
}

jint FromScalarType(c10::ScalarType type) {
  switch (type) {
    case at::kFloat: return 0;
    case at::kDouble: return 1;
    case at::kHalf: return 2;
    case at::kByte: return 3;
    case at::kInt: return 4;
    case at::kChar: return 5;
    case at::kLong: return 6;
    case at::kBool: return 7;
    case at::kComplexFloat: return 8;
    case at::kBFloat16: return 11;
    case at::kShort: return 15;
    default: return 9;  // UNKNOWN
  }
}

c10::Device ToDevice(JNIEnv* env, jintArray device) {
  if (device == nullptr || env->GetArrayLength(device) < 2) {
    throw std::invalid_argument("sltk bridge: device must be int[]{type, index}");
  }
  jint v[2];
  env->GetIntArrayRegion(device, 0, 2, v);
  auto index = static_cast<c10::DeviceIndex>(v[1]);
  switch (v[0]) {
    case 0: return c10::Device(c10::DeviceType::CPU, -1);
    case 1: return c10::Device(c10::DeviceType::CUDA, index < 0 ? 0 : index);
    case 13: return c10::Device(c10::DeviceType::MPS, index);
    default:
      throw std::invalid_argument("sltk bridge: unsupported device type " + std::to_string(v[0]));
  }
}

c10::Layout ToLayout(jint layout) {
  switch (layout) {
    case 0: return c10::kStrided;
    case 1: return c10::kSparse;
    case 2: return c10::kMkldnn;
    default:
      throw std::invalid_argument("sltk bridge: unsupported layout " + std::to_string(layout));
  }
}

at::TensorOptions Options(JNIEnv* env, jint dtype, jint layout, jintArray device, jboolean grad) {
  return at::TensorOptions()
      .dtype(ToScalarType(dtype))
      .layout(ToLayout(layout))
      .device(ToDevice(env, device))
      .requires_grad(grad == JNI_TRUE);
}

std::vector<int64_t> LongVector(JNIEnv* env, jlongArray array) {
  if (array == nullptr) {
    return {};
  }
  jsize n = env->GetArrayLength(array);
  std::vector<int64_t> out(static_cast<size_t>(n));
  if (n > 0) {
    env->GetLongArrayRegion(array, 0, n, reinterpret_cast<jlong*>(out.data()));
  }
  return out;
}

jlongArray LongArray(JNIEnv* env, const std::vector<int64_t>& values) {
  jlongArray out = env->NewLongArray(static_cast<jsize>(values.size()));
  if (!values.empty()) {
    env->SetLongArrayRegion(out, 0, static_cast<jsize>(values.size()),
                            reinterpret_cast<const jlong*>(values.data()));
  }
  return out;
}

jlongArray HandleArray(JNIEnv* env, const std::vector<at::Tensor>& tensors) {
  std::vector<int64_t> handles;
  handles.reserve(tensors.size());
  for (const auto& t : tensors) {
    handles.push_back(H(t));
  }
  return LongArray(env, handles);
}

}  // namespace sltk_bridge
