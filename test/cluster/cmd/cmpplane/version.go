// The Kubernetes version this binary was built from, as set at link time.
package main

import "k8s.io/component-base/version"

func kubernetesVersion() string { return version.Get().GitVersion }
