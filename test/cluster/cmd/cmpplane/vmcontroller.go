// A stand-in for KubeVirt's controller, for tests only: it watches kubevirt.io/v1 VirtualMachines and
// writes the status a running KubeVirt would (ready and printableStatus follow spec.running).
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/tools/clientcmd"
)

var virtualMachines = schema.GroupVersionResource{Group: "kubevirt.io", Version: "v1", Resource: "virtualmachines"}

func runVMController(args []string) error {
	flags := flag.NewFlagSet("vm-controller", flag.ContinueOnError)
	kubeconfig := flags.String("kubeconfig", "", "admin kubeconfig")
	if err := flags.Parse(args); err != nil {
		return err
	}
	config, err := clientcmd.BuildConfigFromFlags("", *kubeconfig)
	if err != nil {
		return fmt.Errorf("vm-controller: %w", err)
	}
	client, err := dynamic.NewForConfig(config)
	if err != nil {
		return fmt.Errorf("vm-controller: %w", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	for ctx.Err() == nil {
		if err := watchOnce(ctx, client); err != nil {
			fmt.Fprintln(os.Stderr, "vm-controller:", err)
		}
	}
	return nil
}

func watchOnce(ctx context.Context, client dynamic.Interface) error {
	list, err := client.Resource(virtualMachines).List(ctx, metav1.ListOptions{})
	if err != nil {
		return err
	}
	for i := range list.Items {
		reconcileVM(ctx, client, &list.Items[i])
	}
	w, err := client.Resource(virtualMachines).Watch(ctx, metav1.ListOptions{ResourceVersion: list.GetResourceVersion()})
	if err != nil {
		return err
	}
	defer w.Stop()
	for event := range w.ResultChan() {
		if vm, ok := event.Object.(*unstructured.Unstructured); ok && (event.Type == watch.Added || event.Type == watch.Modified) {
			reconcileVM(ctx, client, vm)
		}
	}
	return nil
}

func reconcileVM(ctx context.Context, client dynamic.Interface, vm *unstructured.Unstructured) {
	running, _, _ := unstructured.NestedBool(vm.Object, "spec", "running")
	printable := "Stopped"
	if running {
		printable = "Running"
	}
	current, _, _ := unstructured.NestedString(vm.Object, "status", "printableStatus")
	ready, _, _ := unstructured.NestedBool(vm.Object, "status", "ready")
	if current == printable && ready == running || vm.GetDeletionTimestamp() != nil {
		return
	}
	patch, _ := json.Marshal(map[string]any{"status": map[string]any{
		"created": true, "ready": running, "printableStatus": printable,
	}})
	_, err := client.Resource(virtualMachines).Namespace(vm.GetNamespace()).
		Patch(ctx, vm.GetName(), types.MergePatchType, patch, metav1.PatchOptions{}, "status")
	if err != nil {
		fmt.Fprintln(os.Stderr, "vm-controller: status of", vm.GetNamespace()+"/"+vm.GetName()+":", err)
	}
}
