// Command cmpplane is the local control plane as one multi-call binary (like the old hyperkube):
// each upstream component runs as its own process, chosen by the first argument.
package main

import (
	"fmt"
	"os"

	"k8s.io/component-base/cli"
	_ "k8s.io/component-base/logs/json/register"
	_ "k8s.io/component-base/metrics/prometheus/clientgo"
	_ "k8s.io/component-base/metrics/prometheus/version"
	apiserver "k8s.io/kubernetes/cmd/kube-apiserver/app"
	controllermanager "k8s.io/kubernetes/cmd/kube-controller-manager/app"
	scheduler "k8s.io/kubernetes/cmd/kube-scheduler/app"
)

const usage = `usage: cmpplane <component> [flags]
components: apiserver, controller-manager, scheduler, etcd, certs, vm-controller, version`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, usage)
		os.Exit(2)
	}
	component, args := os.Args[1], os.Args[2:]
	// cobra reads os.Args itself; drop the component word so its flags parse as usual.
	os.Args = append([]string{"cmpplane-" + component}, args...)
	switch component {
	case "apiserver":
		os.Exit(cli.Run(apiserver.NewAPIServerCommand()))
	case "controller-manager":
		os.Exit(cli.Run(controllermanager.NewControllerManagerCommand()))
	case "scheduler":
		os.Exit(cli.Run(scheduler.NewSchedulerCommand()))
	case "etcd":
		exitOn(runEtcd(args))
	case "certs":
		exitOn(runCerts(args))
	case "vm-controller":
		exitOn(runVMController(args))
	case "version":
		fmt.Println(kubernetesVersion())
	default:
		fmt.Fprintf(os.Stderr, "cmpplane: unknown component %q\n%s\n", component, usage)
		os.Exit(2)
	}
}

func exitOn(err error) {
	if err != nil {
		fmt.Fprintf(os.Stderr, "cmpplane: %v\n", err)
		os.Exit(1)
	}
}
