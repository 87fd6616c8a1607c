namespace KvmNovaTuner.Core.Tests.Libvirt;

/// <summary>A domain as Nova 32 writes it for a dedicated-CPU flavor (trimmed to the tuning parts).</summary>
internal static class SampleDomainXml
{
    public const string Uuid = "7a1c2e9e-1b0c-4a5e-9f3b-2c1d0e9f8a7b";

    public const string Dedicated = $"""
        <domain type='kvm'>
          <name>instance-0000002a</name>
          <uuid>{Uuid}</uuid>
          <metadata>
            <nova:instance xmlns:nova="http://openstack.org/xmlns/libvirt/nova/1.1">
              <nova:package version="32.0.0"/>
              <nova:name>db-1</nova:name>
              <nova:flavor name="tuned.large" id="7">
                <nova:memory>4096</nova:memory>
                <nova:vcpus>4</nova:vcpus>
                <nova:extraSpecs>
                  <nova:extraSpec name="hw:cpu_policy">dedicated</nova:extraSpec>
                  <nova:extraSpec name="tuner:iothreads">2</nova:extraSpec>
                </nova:extraSpecs>
              </nova:flavor>
            </nova:instance>
          </metadata>
          <memory unit='GiB'>4</memory>
          <memoryBacking><hugepages><page size='2048' unit='KiB' nodeset='0'/></hugepages></memoryBacking>
          <blkiotune><weight>500</weight></blkiotune>
          <memtune><soft_limit unit='MiB'>2048</soft_limit></memtune>
          <vcpu placement='static'>4</vcpu>
          <iothreads>2</iothreads>
          <cputune>
            <shares>4096</shares>
            <period>100000</period>
            <vcpupin vcpu='0' cpuset='2'/>
            <vcpupin vcpu='1' cpuset='10'/>
            <emulatorpin cpuset='0-1'/>
            <iothreadpin iothread='1' cpuset='0'/>
          </cputune>
          <numatune><memory mode='strict' nodeset='0'/></numatune>
          <devices>
            <disk type='file' device='disk'>
              <driver name='qemu' type='qcow2' cache='none' io='native' iothread='1'/>
              <target dev='vda' bus='virtio'/>
              <iotune><total_iops_sec>1000</total_iops_sec></iotune>
            </disk>
            <disk type='file' device='cdrom'><target dev='sda' bus='sata'/></disk>
            <interface type='bridge'><mac address='fa:16:3e:aa:bb:cc'/><target dev='tap1234'/></interface>
          </devices>
        </domain>
        """;
}
