// Command fake-cri serves Kubernetes' own fake CRI runtime (k8s.io/cri-client/pkg/fake) on a
// unix socket so that a real kubelet can run on the local test control plane without a
// container runtime. Test tooling only: built by test/cluster/build, started by
// test/cluster/kubelet, one process per node. It stops on SIGTERM/SIGINT.
//
// What the kubelet needs beyond the bare fake: the cgroupfs driver reported through
// RuntimeConfig, a non-zero image size and an image/container filesystem, or pod admission
// and the eviction manager fail.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	runtimeapi "k8s.io/cri-api/pkg/apis/runtime/v1"
	"k8s.io/cri-client/pkg/fake"
)

func main() {
	endpoint := flag.String("endpoint", "", "unix socket to serve, e.g. unix:///tmp/node/cri.sock")
	fsDir := flag.String("fs-dir", "/", "mount point reported as the image and container filesystem")
	flag.Parse()
	if *endpoint == "" {
		fmt.Fprintln(os.Stderr, "fake-cri: --endpoint is required")
		os.Exit(2)
	}

	rt := fake.NewFakeRemoteRuntime()
	rt.RuntimeService.FakeLinuxConfiguration = &runtimeapi.LinuxRuntimeConfiguration{
		CgroupDriver: runtimeapi.CgroupDriver_CGROUPFS,
	}
	rt.ImageService.SetFakeImageSize(1 << 20)
	usage := func() []*runtimeapi.FilesystemUsage {
		return []*runtimeapi.FilesystemUsage{{
			Timestamp:  time.Now().UnixNano(),
			FsId:       &runtimeapi.FilesystemIdentifier{Mountpoint: *fsDir},
			UsedBytes:  &runtimeapi.UInt64Value{Value: 1 << 20},
			InodesUsed: &runtimeapi.UInt64Value{Value: 16},
		}}
	}
	rt.ImageService.SetFakeFilesystemUsage(usage())
	rt.ImageService.SetFakeContainerFilesystemUsage(usage())

	if err := rt.Start(*endpoint); err != nil {
		fmt.Fprintf(os.Stderr, "fake-cri: %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("fake-cri: serving %s\n", *endpoint)

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	<-sig
	rt.Stop()
}
