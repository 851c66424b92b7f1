// TorchScript modules and IValues: loading a .pt target, its parameters, running forward.
// A module handle is a heap torch::jit::Module, an IValue handle a heap c10::IValue.
#include "bridge.h"

#include <torch/script.h>

#include <sstream>

using namespace sltk_bridge;

namespace {

torch::jit::Module& M(jlong handle) {
  if (handle == 0) {
    throw std::invalid_argument("sltk bridge: null module handle");
  }
  return *reinterpret_cast<torch::jit::Module*>(handle);
}

c10::IValue& V(jlong handle) {
  if (handle == 0) {
    throw std::invalid_argument("sltk bridge: null IValue handle");
  }
  return *reinterpret_cast<c10::IValue*>(handle);
}

std::string String(JNIEnv* env, jstring s) {
  const char* c = env->GetStringUTFChars(s, nullptr);
  std::string out(c);
  env->ReleaseStringUTFChars(s, c);
  return out;
}

// map_location: load straight onto the device; otherwise load as saved, then move.
jlong Load(JNIEnv* env, jintArray device, jboolean map_location, jboolean train_param,
           const std::function<torch::jit::Module(c10::optional<c10::Device>)>& load) {
  c10::Device dev = ToDevice(env, device);
  torch::jit::Module module =
      map_location == JNI_TRUE ? load(dev) : load(c10::optional<c10::Device>());
  if (map_location != JNI_TRUE) {
    module.to(dev);
  }
  if (train_param != JNI_TRUE) {
    for (at::Tensor p : module.parameters()) {
      p.requires_grad_(false);
    }
  }
  return reinterpret_cast<jlong>(new torch::jit::Module(std::move(module)));
}

}  // namespace

extern "C" {

JNIEXPORT jlong JNICALL
Java_ai_djl_pytorch_jni_PyTorchLibrary_moduleLoad__Ljava_lang_String_2_3IZ_3Ljava_lang_String_2_3Ljava_lang_String_2Z(
    JNIEnv* env, jobject, jstring path, jintArray device, jboolean map_location,
    jobjectArray extra_names, jobjectArray extra_values, jboolean train_param) {
  BRIDGE_TRY
  std::string file = String(env, path);
  torch::jit::ExtraFilesMap extra;
  jsize n = extra_names == nullptr ? 0 : env->GetArrayLength(extra_names);
  for (jsize i = 0; i < n; ++i) {
    extra[String(env, static_cast<jstring>(env->GetObjectArrayElement(extra_names, i)))] = "";
  }
  jlong h = Load(env, device, map_location, train_param, [&](c10::optional<c10::Device> d) {
    return torch::jit::load(file, d, extra);
  });
  for (jsize i = 0; i < n && extra_values != nullptr; ++i) {
    std::string key = String(env, static_cast<jstring>(env->GetObjectArrayElement(extra_names, i)));
    jstring v = env->NewStringUTF(extra[key].c_str());
    env->SetObjectArrayElement(extra_values, i, v);
    env->DeleteLocalRef(v);
  }
  return h;
  BRIDGE_CATCH(env, 0)
}

// Reads the module from a Java InputStream through the given buffer; size < 0: until EOF.
JNIEXPORT jlong JNICALL
Java_ai_djl_pytorch_jni_PyTorchLibrary_moduleLoad__Ljava_io_InputStream_2_3IZ_3BJ(
    JNIEnv* env, jobject, jobject stream, jintArray device, jboolean map_location,
    jbyteArray buffer, jlong size) {
  BRIDGE_TRY
  jclass cls = env->GetObjectClass(stream);
  jmethodID read = env->GetMethodID(cls, "read", "([BII)I");
  jsize cap = env->GetArrayLength(buffer);
  std::string bytes;
  while (size < 0 || static_cast<jlong>(bytes.size()) < size) {
    jint want = cap;
    if (size >= 0) {
      want = static_cast<jint>(std::min<jlong>(cap, size - static_cast<jlong>(bytes.size())));
    }
    jint got = env->CallIntMethod(stream, read, buffer, 0, want);
    if (env->ExceptionCheck()) {
      return 0;
    }
    if (got < 0) {
      break;
    }
    size_t at = bytes.size();
    bytes.resize(at + static_cast<size_t>(got));
    env->GetByteArrayRegion(buffer, 0, got, reinterpret_cast<jbyte*>(&bytes[at]));
  }
  std::istringstream in(bytes);
  return Load(env, device, map_location, JNI_FALSE, [&](c10::optional<c10::Device> d) {
    return torch::jit::load(in, d);
  });
  BRIDGE_CATCH(env, 0)
}

JNIEXPORT void JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_moduleEval(JNIEnv* env, jobject,
                                                                        jlong h) {
  BRIDGE_TRY
  M(h).eval();
  BRIDGE_CATCH_VOID(env)
}

JNIEXPORT void JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchDeleteModule(JNIEnv* env,
                                                                               jobject, jlong h) {
  BRIDGE_TRY
  delete reinterpret_cast<torch::jit::Module*>(h);
  BRIDGE_CATCH_VOID(env)
}

// Parameters (recursively, in named_parameters order) and their names, index for index.
JNIEXPORT jlongArray JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_moduleGetParams(JNIEnv* env,
                                                                                   jobject,
                                                                                   jlong h) {
  BRIDGE_TRY
  std::vector<at::Tensor> params;
  for (const auto& p : M(h).named_parameters(/*recurse=*/true)) {
    params.push_back(p.value);
  }
  return HandleArray(env, params);
  BRIDGE_CATCH(env, nullptr)
}

JNIEXPORT jobjectArray JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_moduleGetParamNames(
    JNIEnv* env, jobject, jlong h) {
  BRIDGE_TRY
  std::vector<std::string> names;
  for (const auto& p : M(h).named_parameters(/*recurse=*/true)) {
    names.push_back(p.name);
  }
  jobjectArray out = env->NewObjectArray(static_cast<jsize>(names.size()),
                                         env->FindClass("java/lang/String"), nullptr);
  for (size_t i = 0; i < names.size(); ++i) {
    jstring s = env->NewStringUTF(names[i].c_str());
    env->SetObjectArrayElement(out, static_cast<jsize>(i), s);
    env->DeleteLocalRef(s);
  }
  return out;
  BRIDGE_CATCH(env, nullptr)
}

// Inference (isTrain false) runs without autograd. separateCudaStream is not used.
JNIEXPORT jlong JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_moduleRunMethod(
    JNIEnv* env, jobject, jlong h, jstring method, jlongArray inputs, jboolean is_train,
    jboolean) {
  BRIDGE_TRY
  std::vector<c10::IValue> args;
  for (int64_t v : LongVector(env, inputs)) {
    args.push_back(V(v));
  }
  std::string name = String(env, method);
  c10::optional<c10::NoGradGuard> no_grad;
  if (is_train != JNI_TRUE) {
    no_grad.emplace();
  }
  c10::IValue out = M(h).get_method(name)(std::move(args));
  return reinterpret_cast<jlong>(new c10::IValue(std::move(out)));
  BRIDGE_CATCH(env, 0)
}

JNIEXPORT jlong JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_iValueFromTensor(JNIEnv* env,
                                                                               jobject, jlong h) {
  BRIDGE_TRY
  return reinterpret_cast<jlong>(new c10::IValue(T(h)));
  BRIDGE_CATCH(env, 0)
}

JNIEXPORT jboolean JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_iValueIsTensor(JNIEnv* env,
                                                                                jobject, jlong h) {
  BRIDGE_TRY
  return V(h).isTensor() ? JNI_TRUE : JNI_FALSE;
  BRIDGE_CATCH(env, JNI_FALSE)
}

JNIEXPORT jlong JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_iValueToTensor(JNIEnv* env,
                                                                             jobject, jlong h) {
  BRIDGE_TRY
  return H(V(h).toTensor());
  BRIDGE_CATCH(env, 0)
}

JNIEXPORT void JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchDeleteIValue(JNIEnv* env,
                                                                               jobject, jlong h) {
  BRIDGE_TRY
  delete reinterpret_cast<c10::IValue*>(h);
  BRIDGE_CATCH_VOID(env)
}

}  // extern "C"
