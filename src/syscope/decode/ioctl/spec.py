"""Which ioctl constants the ioctl decoders know: declared as headers and name patterns, the
values compiled from the installed UAPI headers by tools/gen_ioctl.py into
``tables_<arch>.py`` (nothing here spells out a value).

PLAIN: headers that define ioctl commands as plain numbers (``#define HDIO_GETGEO 0x0301``), not
with _IO*() (those are ``ioctl_cmds`` of consts_<arch>.py).  strace's maint/ioctls_gen.sh takes
these headers' four-hex-digit definitions into its ioctlent; the pattern keeps the commands
and leaves out the other constants of the same width (LED_*, TASKFILE_*, CDC_*).

SCANNED: table -> (kind, headers (space separated), pattern the whole name matches): every
``#define NAME`` and enum member of the headers matching the pattern, in the headers' order
(strace's xlat order for these tables).
"""

from __future__ import annotations

PLAIN: dict[str, str] = {
    "asm-generic/ioctls.h": r"\w+",
    "linux/sockios.h": r"SIOC\w+",
    "asm-generic/sockios.h": r"(SIOC|FIO)\w+",
    "linux/wireless.h": r"SIOC\w+",
    "linux/kd.h": r"(GIO|PIO|KD|KIOC)\w+",
    "linux/cdrom.h": r"(CDROM|DVD)\w+",
    "linux/hdreg.h": r"HDIO_\w+",
    "scsi/sg.h": r"SG_\w+",
    "linux/vt.h": r"VT_(?!EVENT|MAX_EVENT)\w+",
    "linux/fb.h": r"FB\w+",
    "linux/loop.h": r"LOOP_\w+",
    "scsi/scsi.h": r"SCSI_IOCTL_(?!TAGGED)\w+",
    "scsi/scsi_ioctl.h": r"SCSI_IOCTL_\w+",
}

# commands strace 6.1's ioctlent does not name (src/linux/64/ioctls_inc.h): linux/v4l2-subdev.h's
# aliases "identical to the ioctls in videodev2.h" (VIDIOC_G_EDID, not "VIDIOC_G_EDID or
# VIDIOC_SUBDEV_G_EDID")
UNNAMED = r"VIDIOC_SUBDEV_(G_STD|S_STD|ENUMSTD|G_EDID|S_EDID|QUERYSTD|\w*DV_TIMINGS\w*)"

# headers whose _IO*() commands take a type another header declares (struct termios2 of
# asm/termbits.h for TCGETS2): compiled after those headers (gen_decode's scan skips them)
TYPED: dict[str, list[str]] = {"asm-generic/ioctls.h": ["asm/termbits.h"]}

SCANNED: dict[str, tuple[str, str, str]] = {
    # linux/input-event-codes.h: event types and absolute axes (EVIOCGBIT, EVIOCGABS)
    "evdev_ev": ("enum", "linux/input-event-codes.h", r"EV_(?!MAX|CNT|VERSION)[A-Z_]+"),
    "evdev_abs": ("enum", "linux/input-event-codes.h", r"ABS_(?!MAX|CNT)[A-Z0-9_]+"),
    "evdev_keycode": ("enum", "linux/input-event-codes.h", r"(KEY|BTN)_(?!(MAX|CNT|MIN_INTERESTING)$)\w+"),
    "evdev_relative_axes": ("enum", "linux/input-event-codes.h", r"REL_(?!(MAX|CNT)$)\w+"),
    "evdev_misc": ("enum", "linux/input-event-codes.h", r"MSC_(?!(MAX|CNT)$)\w+"),
    "evdev_switch": ("enum", "linux/input-event-codes.h", r"SW_(?!(MAX|CNT)$)\w+"),
    "evdev_leds": ("enum", "linux/input-event-codes.h", r"LED_(?!(MAX|CNT)$)\w+"),
    "evdev_snd": ("enum", "linux/input-event-codes.h", r"SND_(?!(MAX|CNT)$)\w+"),
    "evdev_autorepeat": ("enum", "linux/input-event-codes.h", r"REP_(?!(MAX|CNT)$)\w+"),
    "evdev_prop": ("enum", "linux/input-event-codes.h", r"INPUT_PROP_(?!(MAX|CNT)$)\w+"),
    "evdev_mtslots": ("enum", "linux/input-event-codes.h", r"ABS_MT_\w+"),
    "evdev_ff_status": ("enum", "linux/input.h", r"FF_STATUS_(?!(MAX)$)\w+"),
    "evdev_ff_types": ("enum", "linux/input.h",
                       r"FF_(?!STATUS|MAX$|CNT$|EFFECT_M|WAVEFORM_M|MAX_EFFECTS)[A-Z_]+"),
    # linux/hdreg.h: HDIO_GET_NICE's bits (the macros are bit numbers) and bus states
    "hdio_ide_nice": ("flags", "linux/hdreg.h", r"IDE_NICE_\w+"),
    "hdio_busstates": ("enum", "linux/hdreg.h", r"BUSSTATE_\w+"),
    # linux/fs.h and linux/fiemap.h: FS_IOC_FSGETXATTR's flags, FS_IOC_GETFLAGS' flags, FIEMAP's
    "fs_xflags": ("flags", "linux/fs.h", r"FS_XFLAG_\w+"),
    "fs_ioc_flags": ("flags", "linux/fs.h", r"FS_(?!FL_USER|BTREE)\w+_FL"),
    "fiemap_flags": ("flags", "linux/fiemap.h", r"FIEMAP_FLAG_(?!S_COMPAT)\w+"),
    "fiemap_extent_flags": ("flags", "linux/fiemap.h", r"FIEMAP_EXTENT_\w+"),
    # linux/nbd.h NBD_SET_FLAGS; linux/counter.h COUNTER_ADD_WATCH_IOCTL's component and event
    "nbd_ioctl_flags": ("flags", "linux/nbd.h", r"NBD_FLAG_\w+"),
    "counter_component_types": ("enum", "linux/counter.h", r"COUNTER_COMPONENT_(?!TYPE|SCOPE)\w+"),
    "counter_scopes": ("enum", "linux/counter.h", r"COUNTER_SCOPE_\w+"),
    "counter_event_types": ("enum", "linux/counter.h", r"COUNTER_EVENT_\w+"),
    # linux/seccomp.h notification flags; linux/audit.h the arch of a notified call
    "seccomp_ioctl_resp_flags": ("flags", "linux/seccomp.h", r"SECCOMP_USER_NOTIF_FLAG_\w+"),
    "seccomp_ioctl_addfd_flags": ("flags", "linux/seccomp.h", r"SECCOMP_ADDFD_FLAG_\w+"),
    "audit_arch": ("enum", "linux/audit.h", r"AUDIT_ARCH_\w+"),
    # linux/ptp_clock.h request flags and pin functions
    "ptp_extts_flags": ("flags", "linux/ptp_clock.h",
                        r"PTP_(ENABLE_FEATURE|RISING_EDGE|FALLING_EDGE|STRICT_FLAGS|EXT_OFFSET)"),
    "ptp_perout_flags": ("flags", "linux/ptp_clock.h", r"PTP_PEROUT_(?!VALID)[A-Z_]+"),
    "ptp_pin_funcs": ("enum", "linux/ptp_clock.h", r"PTP_PF_\w+"),
    # linux/gpio.h line, handle and event flags, v2 line flags and attribute ids
    "gpio_line_flags": ("flags", "linux/gpio.h", r"GPIOLINE_FLAG_\w+"),
    "gpio_handle_flags": ("flags", "linux/gpio.h", r"GPIOHANDLE_REQUEST_\w+"),
    "gpio_event_flags": ("flags", "linux/gpio.h", r"GPIOEVENT_REQUEST_\w+"),
    "gpio_v2_line_flags": ("flags", "linux/gpio.h", r"GPIO_V2_LINE_FLAG_\w+"),
    "gpio_v2_line_attr_ids": ("enum", "linux/gpio.h", r"GPIO_V2_LINE_ATTR_ID_\w+"),
    # linux/rtc.h voltage flags, parameters, features (bit numbers), backup switch modes
    "rtc_vl_flags": ("flags", "linux/rtc.h", r"RTC_VL_(?!READ|CLR)\w+"),
    "rtc_params": ("enum", "linux/rtc.h", r"RTC_PARAM_(?!GET|SET)\w+"),
    "rtc_features": ("enum", "linux/rtc.h", r"RTC_FEATURE_(?!CNT)\w+"),
    "rtc_backup_switch_modes": ("enum", "linux/rtc.h", r"RTC_BSM_\w+"),
    # linux/videodev2.h (strace's v4l2.c xlats): buffer types, memory, fields, colorspaces,
    # formats (fourcc values), capabilities, controls and their classes, tuners
    "v4l2_buf_types": ("enum", "linux/videodev2.h", r"V4L2_BUF_TYPE_(?!PRIVATE)\w+"),
    "v4l2_memories": ("enum", "linux/videodev2.h", r"V4L2_MEMORY_\w+"),
    "v4l2_fields": ("enum", "linux/videodev2.h", r"V4L2_FIELD_\w+"),
    "v4l2_colorspaces": ("enum", "linux/videodev2.h", r"V4L2_COLORSPACE_\w+"),
    "v4l2_pix_fmts": ("enum", "linux/videodev2.h", r"V4L2_PIX_FMT_(?!PRIV_MAGIC|FLAG_)\w+"),
    "v4l2_sdr_fmts": ("enum", "linux/videodev2.h", r"V4L2_SDR_FMT_\w+"),
    "v4l2_meta_fmts": ("enum", "linux/videodev2.h", r"V4L2_META_FMT_\w+"),
    # (not V4L2_CAP_IO_MC, which strace 6.1's table predates)
    "v4l2_device_capabilities_flags": ("flags", "linux/videodev2.h", r"V4L2_CAP_(?!TIMEPERFRAME|IO_MC)\w+"),
    "v4l2_streaming_capabilities": ("flags", "linux/videodev2.h", r"V4L2_CAP_TIMEPERFRAME"),
    "v4l2_capture_modes": ("flags", "linux/videodev2.h", r"V4L2_MODE_HIGHQUALITY"),
    "v4l2_format_description_flags": ("flags", "linux/videodev2.h", r"V4L2_FMT_FLAG_\w+"),
    "v4l2_vbi_flags": ("flags", "linux/videodev2.h", r"V4L2_VBI_(UNSYNC|INTERLACED)"),
    "v4l2_sliced_flags": ("flags", "linux/videodev2.h", r"V4L2_SLICED_(?!VBI_525$)\w+"),
    "v4l2_control_ids": ("enum", "linux/v4l2-controls.h linux/videodev2.h",
                         r"V4L2_CID_(?!BASE$|\w*_BASE$|\w*_CLASS$|LASTP1$|PRIVATE_BASE$)\w+"),
    "v4l2_control_classes": ("enum", "linux/v4l2-controls.h", r"V4L2_CTRL_CLASS_\w+"),
    "v4l2_control_query_flags": ("flags", "linux/videodev2.h", r"V4L2_CTRL_FLAG_NEXT_\w+"),
    "v4l2_control_types": ("enum", "linux/videodev2.h", r"V4L2_CTRL_TYPE_\w+"),
    # (not V4L2_CTRL_FLAG_DYNAMIC_ARRAY, which strace 6.1's table predates)
    "v4l2_control_flags": ("flags", "linux/videodev2.h", r"V4L2_CTRL_FLAG_(?!NEXT_|DYNAMIC_ARRAY)\w+"),
    "v4l2_tuner_types": ("enum", "linux/videodev2.h", r"V4L2_TUNER_(RADIO|ANALOG_TV|DIGITAL_TV|SDR|RF|ADC)"),
    "v4l2_tuner_capabilities": ("flags", "linux/videodev2.h", r"V4L2_TUNER_CAP_\w+"),
    "v4l2_tuner_rxsubchanses": ("flags", "linux/videodev2.h", r"V4L2_TUNER_SUB_\w+"),
    "v4l2_tuner_audmodes": ("enum", "linux/videodev2.h", r"V4L2_TUNER_MODE_\w+"),
    "v4l2_input_types": ("enum", "linux/videodev2.h", r"V4L2_INPUT_TYPE_\w+"),
    "v4l2_framesize_types": ("enum", "linux/videodev2.h", r"V4L2_FRMSIZE_TYPE_\w+"),
    "v4l2_frameinterval_types": ("enum", "linux/videodev2.h", r"V4L2_FRMIVAL_TYPE_\w+"),
    "v4l2_buf_flags": ("flags", "linux/videodev2.h", r"V4L2_BUF_FLAG_(?!TIMESTAMP_|TSTAMP_SRC_)\w+"),
    "v4l2_buf_flags_ts_type": ("enum", "linux/videodev2.h", r"V4L2_BUF_FLAG_TIMESTAMP_(?!MASK)\w+"),
    "v4l2_buf_flags_ts_src": ("enum", "linux/videodev2.h", r"V4L2_BUF_FLAG_TSTAMP_SRC_(?!MASK)\w+"),
    "v4l2_framebuffer_capabilities": ("flags", "linux/videodev2.h", r"V4L2_FBUF_CAP_\w+"),
    "v4l2_framebuffer_flags": ("flags", "linux/videodev2.h", r"V4L2_FBUF_FLAG_\w+"),
    # linux/loop.h status flags and (obsolete) encryption types
    "loop_flags_options": ("flags", "linux/loop.h", r"LO_FLAGS_\w+"),
    "loop_crypt_type_options": ("enum", "linux/loop.h", r"LO_CRYPT_\w+"),
    # linux/lirc.h: the features a device reports (not the modes no driver has: SEND_RAW,
    # SEND_MODE2, REC_RAW, REC_PULSE, nor the masks and the obsolete zero values) and modes
    "lirc_features": ("flags", "linux/lirc.h",
                      r"LIRC_CAN_(?!SEND_RAW|SEND_MODE2|REC_RAW|REC_PULSE|SET_REC_FILTER|NOTIFY_DECODE)(?!\w*_MASK$)\w+"),
    "lirc_modes": ("enum", "linux/lirc.h", r"LIRC_MODE_\w+"),
    # asm-generic/termios.h modem lines (TIOCM_CD and TIOCM_RI are aliases)
    "modem_flags": ("flags", "asm-generic/termios.h", r"TIOCM_(?!CD$|RI$)\w+"),
    # mtd/mtd-abi.h: device types and flags, OTP and file modes, ECC placement, write modes
    "mtd_type_options": ("enum", "mtd/mtd-abi.h", r"MTD_(ABSENT|RAM|ROM|\w*FLASH|UBIVOLUME)"),
    "mtd_flags_options": ("flags", "mtd/mtd-abi.h",
                          r"MTD_(WRITEABLE|BIT_WRITEABLE|NO_ERASE|POWERUP_LOCK|SLC_ON_MLC_EMULATION)"),
    "mtd_otp_options": ("enum", "mtd/mtd-abi.h", r"MTD_OTP_\w+"),
    "mtd_file_mode_options": ("enum", "mtd/mtd-abi.h", r"MTD_FILE_MODE_\w+"),
    "mtd_nandecc_options": ("enum", "mtd/mtd-abi.h", r"MTD_NANDECC_\w+"),
    "mtd_mode_options": ("enum", "mtd/mtd-abi.h", r"MTD_OPS_\w+"),
    # mtd/ubi-user.h volume types, flags and properties, data types
    "ubi_volume_types": ("enum", "mtd/ubi-user.h", r"UBI_(DYNAMIC|STATIC)_VOLUME"),
    "ubi_volume_flags": ("flags", "mtd/ubi-user.h", r"UBI_VOL_\w+_FLG"),
    "ubi_volume_props": ("enum", "mtd/ubi-user.h", r"UBI_VOL_PROP_\w+"),
    # scsi/sg.h SG_SCSI_RESET's operations
    "sg_scsi_reset": ("enum", "scsi/sg.h", r"SG_SCSI_RESET_\w+"),
    "sg_io_dxfer_direction": ("enum", "scsi/sg.h", r"SG_DXFER_\w+"),
    "sg_io_flags": ("flags", "scsi/sg.h", r"SG_FLAG_(DIRECT_IO|NO_DXFER)"),
    "sg_io_info": ("flags", "scsi/sg.h", r"SG_INFO_(CHECK|DIRECT_IO|MIXED_IO)"),
    # linux/bsg.h SG_IO v4 protocols and flags
    "bsg_protocol": ("enum", "linux/bsg.h", r"BSG_PROTOCOL_\w+"),
    "bsg_subprotocol": ("enum", "linux/bsg.h", r"BSG_SUB_PROTOCOL_\w+"),
    "bsg_flags": ("flags", "linux/bsg.h", r"BSG_FLAG_\w+"),
    # linux/perf_event.h PERF_EVENT_IOC_{ENABLE,DISABLE,RESET}'s flags
    "perf_ioctl_flags": ("flags", "linux/perf_event.h", r"PERF_IOC_FLAG_\w+"),
    # linux/userfaultfd.h: API features, the ioctls (bit numbers _UFFDIO_*) a call or range
    # supports, copy/register/zeropage modes
    "uffd_api_features": ("flags", "linux/userfaultfd.h", r"UFFD_FEATURE_\w+"),
    "uffd_api_flags": ("enum", "linux/userfaultfd.h", r"_UFFDIO_(REGISTER|UNREGISTER|API)"),
    "uffd_register_ioctl_flags": ("enum", "linux/userfaultfd.h", r"_UFFDIO_(WAKE|COPY|ZEROPAGE|WRITEPROTECT|CONTINUE)"),
    "uffd_copy_flags": ("flags", "linux/userfaultfd.h", r"UFFDIO_COPY_MODE_\w+"),
    "uffd_register_mode_flags": ("flags", "linux/userfaultfd.h", r"UFFDIO_REGISTER_MODE_\w+"),
    "uffd_zeropage_flags": ("flags", "linux/userfaultfd.h", r"UFFDIO_ZEROPAGE_MODE_\w+"),
    # asm-generic/termbits.h: the input-speed field of c_cflag; c_lflag's flags (in ORDER's order)
    "term_bits": ("enum", "asm-generic/termbits.h asm-generic/termbits-common.h", r"CIBAUD|IBSHIFT"),
    "term_lflags": ("flags", "asm-generic/termbits.h",
                    r"ISIG|ICANON|XCASE|ECHO|ECHOE|ECHOK|ECHONL|NOFLSH|IEXTEN|ECHOCTL|ECHOPRT|ECHOKE|FLUSHO|PENDIN|TOSTOP"
                    r"|EXTPROC"),
    # linux/kd.h and linux/keyboard.h: LEDs, keyboard types, console and keyboard modes, meta
    # handling, keymap tables and modifier bits, key types and the named keys (K_F1 ...)
    "kd_led_flags": ("flags", "linux/kd.h", r"LED_(SCR|NUM|CAP)"),
    "kd_kbd_types": ("enum", "linux/kd.h", r"KB_(84|101|OTHER)"),
    "kd_modes": ("enum", "linux/kd.h", r"KD_(TEXT|GRAPHICS|TEXT0|TEXT1)"),
    "kd_kbd_modes": ("enum", "linux/kd.h", r"K_(RAW|XLATE|MEDIUMRAW|UNICODE|OFF)"),
    "kd_meta_vals": ("enum", "linux/kd.h", r"K_(METABIT|ESCPREFIX)"),
    "kd_key_tables": ("enum", "linux/kd.h", r"K_(NORM|SHIFT|ALT|ALTSHIFT)TAB"),
    "kd_uni": ("enum", "linux/kd.h", r"UNI_DIRECT_(BASE|MASK)"),
    "kd_keymap_flags": ("enum", "linux/keyboard.h", r"KG_(?!KANASHIFT|CAPSSHIFT)\w+"),
    "kd_key_types": ("enum", "linux/keyboard.h", r"KT_\w+"),
    "kd_keys": ("enum", "linux/keyboard.h", r"K_\w+"),
    "kd_font_ops": ("enum", "linux/kd.h", r"KD_FONT_OP_\w+"),
    "kd_font_flags": ("flags", "linux/kd.h", r"KD_FONT_FLAG_\w+"),
    # linux/dm-ioctl.h status flags
    "dm_flags": ("flags", "linux/dm-ioctl.h", r"DM_\w+_FLAG|DM_DEFERRED_REMOVE"),
    # linux/blkpg.h BLKPG's operations
    "blkpg_ops": ("enum", "linux/blkpg.h", r"BLKPG_\w+_PARTITION"),
    # linux/kvm.h and asm/kvm.h (strace's kvm.c): capabilities, memory slot and cpuid entry
    # flags, the exit reasons of struct kvm_run (not the subtypes of an exit: HYPERV_SYNIC ...)
    "kvm_cap": ("enum", "linux/kvm.h", r"KVM_CAP_\w+"),
    "kvm_mem_flags": ("flags", "linux/kvm.h", r"KVM_MEM_\w+"),
    "kvm_cpuid_flags": ("flags", "asm/kvm.h", r"KVM_CPUID_FLAG_\w+"),
    "kvm_exit_reason": ("enum", "linux/kvm.h", r"KVM_EXIT_(?!HYPERV_|XEN_|IO_IN$|IO_OUT$)\w+"),
    # linux/tee.h (strace's tee.c): capabilities, implementations, login types, parameter types,
    # and the size limit of an argument buffer
    "tee_ioctl_gen_caps": ("flags", "linux/tee.h", r"TEE_GEN_CAP_\w+"),
    "tee_ioctl_impl_ids": ("enum", "linux/tee.h", r"TEE_IMPL_ID_\w+"),
    "tee_ioctl_optee_caps": ("flags", "linux/tee.h", r"TEE_OPTEE_CAP_\w+"),
    "tee_ioctl_login_types": ("enum", "linux/tee.h", r"TEE_IOCTL_LOGIN_\w+"),
    "tee_ioctl_param_attr_types": ("enum", "linux/tee.h", r"TEE_IOCTL_PARAM_ATTR_TYPE_(?!MASK)\w+"),
    "tee_ioctl_max_arg_size": ("enum", "linux/tee.h", r"TEE_MAX_ARG_SIZE"),
    # linux/perf_event.h (strace's perf.c, struct perf_event_attr): event types, attr sizes,
    # hardware/software/cache event ids, sample and read formats, branch sample types
    "perf_type_id": ("enum", "linux/perf_event.h", r"PERF_TYPE_(?!MAX$)\w+"),
    "perf_attr_size": ("enum", "linux/perf_event.h", r"PERF_ATTR_SIZE_VER\d+"),
    "perf_hw_id": ("enum", "linux/perf_event.h", r"PERF_COUNT_HW_(?!MAX$)(?!CACHE_(?!MISSES$|REFERENCES$))\w+"),
    "perf_hw_cache_id": ("enum", "linux/perf_event.h",
                         r"PERF_COUNT_HW_CACHE_(?!OP_|RESULT_|MAX$|MISSES$|REFERENCES$)\w+"),
    "perf_hw_cache_op_id": ("enum", "linux/perf_event.h", r"PERF_COUNT_HW_CACHE_OP_(?!MAX$)\w+"),
    "perf_hw_cache_op_result_id": ("enum", "linux/perf_event.h", r"PERF_COUNT_HW_CACHE_RESULT_(?!MAX$)\w+"),
    "perf_sw_ids": ("enum", "linux/perf_event.h", r"PERF_COUNT_SW_(?!MAX$)\w+"),
    "perf_event_sample_format": ("flags", "linux/perf_event.h",
                                 r"PERF_SAMPLE_(?!MAX$|WEIGHT_TYPE$|BRANCH_(?!STACK$)|REGS_ABI_)\w+"),
    "perf_event_read_format": ("flags", "linux/perf_event.h", r"PERF_FORMAT_(?!MAX$)\w+"),
    "perf_branch_sample_type": ("flags", "linux/perf_event.h",
                                r"PERF_SAMPLE_BRANCH_(?!MAX|\w*_SHIFT$|PLM_ALL$|STACK$)\w+"),
    "hw_breakpoint_type": ("enum", "linux/hw_breakpoint.h", r"HW_BREAKPOINT_(EMPTY|R|W|RW|X|INVALID)"),
    # perf_event_open(2)'s flags argument (strace's xlat/perf_event_open_flags)
    "perf_event_open_flags": ("flags", "linux/perf_event.h", r"PERF_FLAG_\w+"),
    # linux/btrfs.h and linux/btrfs_tree.h (strace's btrfs.c): the ioctls' flags and commands
    "btrfs_balance_args": ("flags", "linux/btrfs.h", r"BTRFS_BALANCE_ARGS_(?!MASK$)\w+"),
    "btrfs_balance_ctl_cmds": ("enum", "linux/btrfs.h", r"BTRFS_BALANCE_CTL_\w+"),
    "btrfs_balance_flags": ("flags", "linux/btrfs.h", r"BTRFS_BALANCE_(DATA|SYSTEM|METADATA|FORCE|RESUME)"),
    "btrfs_balance_state": ("flags", "linux/btrfs.h", r"BTRFS_BALANCE_STATE_\w+"),
    "btrfs_cont_reading_from_srcdev_mode": ("enum", "linux/btrfs.h",
                                            r"BTRFS_IOCTL_DEV_REPLACE_CONT_READING_FROM_SRCDEV_MODE_\w+"),
    "btrfs_csum_types": ("enum", "linux/btrfs_tree.h", r"BTRFS_CSUM_TYPE_\w+"),
    "btrfs_defrag_flags": ("flags", "linux/btrfs.h", r"BTRFS_DEFRAG_RANGE_(COMPRESS|START_IO)"),
    "btrfs_dev_replace_cmds": ("enum", "linux/btrfs.h", r"BTRFS_IOCTL_DEV_REPLACE_CMD_\w+"),
    "btrfs_dev_replace_results": ("enum", "linux/btrfs.h", r"BTRFS_IOCTL_DEV_REPLACE_RESULT_\w+"),
    "btrfs_dev_replace_state": ("enum", "linux/btrfs.h", r"BTRFS_IOCTL_DEV_REPLACE_STATE_\w+"),
    "btrfs_dev_stats_flags": ("flags", "linux/btrfs.h", r"BTRFS_DEV_STATS_RESET"),
    "btrfs_dev_stats_values": ("enum", "linux/btrfs.h", r"BTRFS_DEV_STAT_(?!VALUES_MAX$)\w+"),
    "btrfs_features_compat": ("flags", "linux/btrfs.h", r"BTRFS_FEATURE_COMPAT_(?!RO_)\w+"),
    "btrfs_features_compat_ro": ("flags", "linux/btrfs.h", r"BTRFS_FEATURE_COMPAT_RO_\w+"),
    "btrfs_features_incompat": ("flags", "linux/btrfs.h", r"BTRFS_FEATURE_INCOMPAT_\w+"),
    "btrfs_fs_info_flags": ("flags", "linux/btrfs.h", r"BTRFS_FS_INFO_FLAG_\w+"),
    # item keys; BTRFS_BALANCE_ITEM_KEY and BTRFS_DEV_STATS_KEY are the older names of
    # BTRFS_TEMPORARY_ITEM_KEY and BTRFS_PERSISTENT_ITEM_KEY, which strace prints
    "btrfs_key_types": ("enum", "linux/btrfs_tree.h", r"BTRFS_(?!BALANCE_ITEM|DEV_STATS)\w+_KEY|BTRFS_UUID_KEY_\w+"),
    "btrfs_logical_ino_args_flags": ("flags", "linux/btrfs.h", r"BTRFS_LOGICAL_INO_ARGS_\w+"),
    "btrfs_qgroup_ctl_cmds": ("enum", "linux/btrfs.h", r"BTRFS_QUOTA_CTL_\w+"),
    "btrfs_qgroup_inherit_flags": ("flags", "linux/btrfs.h", r"BTRFS_QGROUP_INHERIT_SET_LIMITS"),
    "btrfs_qgroup_limit_flags": ("flags", "linux/btrfs.h", r"BTRFS_QGROUP_LIMIT_\w+"),
    "btrfs_scrub_flags": ("flags", "linux/btrfs.h", r"BTRFS_SCRUB_READONLY"),
    "btrfs_send_flags": ("flags", "linux/btrfs.h", r"BTRFS_SEND_FLAG_(?!MASK$)\w+"),
    "btrfs_snap_flags_v2": ("flags", "linux/btrfs.h", r"BTRFS_SUBVOL_(CREATE_ASYNC|RDONLY|QGROUP_INHERIT)"),
    "btrfs_space_info_flags": ("flags", "linux/btrfs_tree.h",
                               r"BTRFS_BLOCK_GROUP_(?!RESERVED$)[A-Z0-9]+|BTRFS_AVAIL_ALLOC_BIT_SINGLE"
                               r"|BTRFS_SPACE_INFO_GLOBAL_RSV"),
    # the trees' object ids (not the special negative ids of items, BTRFS_BALANCE_OBJECTID ...)
    "btrfs_tree_objectids": ("enum", "linux/btrfs_tree.h",
                             r"BTRFS_(?!DATA_RELOC|FIRST_CHUNK)\w+_TREE_OBJECTID|BTRFS_(ROOT_TREE_DIR|FIRST_FREE|LAST_FREE)"
                             r"_OBJECTID"),
}

# The length of a hardware address by device type (strace's print_mac.c hwaddr_sizes, after the
# kernel's drivers): ARPHRD_* name -> a C expression tools/gen_ioctl.py compiles into the
# "hwaddr_lengths" table.  A UAPI macro where the headers export one; a number where the length
# is a kernel-internal macro (named in the comment).  A type not listed shows the whole address.
HWADDR_HEADERS = ["linux/if_ether.h", "linux/if_fc.h", "linux/if_arcnet.h", "linux/if_infiniband.h",
                  "linux/if_ltalk.h", "linux/if_hippi.h", "linux/if_fddi.h", "netinet/in.h", "linux/if_arp.h"]
HWADDR_LENGTHS: dict[str, str] = {
    "ARPHRD_NETROM": "7",  # AX25_ADDR_LEN (include/net/ax25.h)
    "ARPHRD_ETHER": "ETH_ALEN",
    "ARPHRD_AX25": "7",  # AX25_ADDR_LEN
    "ARPHRD_IEEE802": "FC_ALEN",
    "ARPHRD_ARCNET": "ARCNET_ALEN",
    "ARPHRD_DLCI": "sizeof(short)",
    "ARPHRD_IEEE1394": "16",  # FWNET_ALEN (include/net/firewire.h)
    "ARPHRD_EUI64": "8",  # EUI64_ADDR_LEN (include/net/addrconf.h)
    "ARPHRD_INFINIBAND": "INFINIBAND_ALEN",
    "ARPHRD_SLIP": "0",
    "ARPHRD_ROSE": "5",  # ROSE_ADDR_LEN (include/net/rose.h)
    "ARPHRD_X25": "0",
    "ARPHRD_CAN": "0",
    "ARPHRD_MCTP": "1",
    "ARPHRD_PPP": "0",
    "ARPHRD_RAWHDLC": "0",
    "ARPHRD_RAWIP": "0",
    "ARPHRD_TUNNEL": "sizeof(struct in_addr)",  # IPIP
    "ARPHRD_TUNNEL6": "sizeof(struct in6_addr)",
    "ARPHRD_LOOPBACK": "ETH_ALEN",
    "ARPHRD_LOCALTLK": "LTALK_ALEN",
    "ARPHRD_FDDI": "FDDI_K_ALEN",
    "ARPHRD_SIT": "sizeof(struct in_addr)",
    "ARPHRD_IPDDP": "0",
    "ARPHRD_IPGRE": "sizeof(struct in_addr)",
    "ARPHRD_PIMREG": "0",
    "ARPHRD_HIPPI": "HIPPI_ALEN",
    "ARPHRD_IRDA": "4",  # LAP_ALEN (include/net/irda/irlap.h)
    "ARPHRD_IEEE80211": "ETH_ALEN",
    "ARPHRD_IEEE80211_PRISM": "ETH_ALEN",
    "ARPHRD_IEEE80211_RADIOTAP": "ETH_ALEN",
    "ARPHRD_IEEE802154": "8",  # IEEE802154_EXTENDED_ADDR_LEN (include/net/ieee802154_netdev.h)
    "ARPHRD_IEEE802154_MONITOR": "8",  # IEEE802154_EXTENDED_ADDR_LEN
    "ARPHRD_PHONET": "1",
    "ARPHRD_PHONET_PIPE": "1",
    "ARPHRD_CAIF": "0",
    "ARPHRD_IP6GRE": "sizeof(struct in6_addr)",
    "ARPHRD_NETLINK": "0",
    "ARPHRD_6LOWPAN": "8",  # EUI64_ADDR_LEN (ETH_ALEN on some link layers; strace takes 8)
    "ARPHRD_VSOCKMON": "0",
}
# tables of __u64 values (tools/gen_ioctl.py reads them back unsigned: BTRFS_LAST_FREE_OBJECTID is -256ULL)
UNSIGNED64: frozenset[str] = frozenset(t for t in SCANNED if t.startswith("btrfs_"))

# Facts the UAPI headers do not export, declared with their kernel source: the ATA commands
# HDIO_DRIVE_CMD passes (include/linux/ata.h enum ATA_CMD_*), in value order.
DECLARED: dict[str, list[tuple[int, str]]] = {
    "hdio_drive_cmds": [
        (0x00, "ATA_CMD_NOP"), (0x03, "ATA_CMD_CFA_REQ_EXT_ERR"), (0x06, "ATA_CMD_DSM"), (0x08, "ATA_CMD_DEV_RESET"),
        (0x0b, "ATA_CMD_REQ_SENSE_DATA"), (0x10, "ATA_CMD_RESTORE"), (0x20, "ATA_CMD_PIO_READ"),
        (0x22, "ATA_CMD_READ_LONG"), (0x23, "ATA_CMD_READ_LONG_ONCE"), (0x24, "ATA_CMD_PIO_READ_EXT"),
        (0x25, "ATA_CMD_READ_EXT"), (0x26, "ATA_CMD_READ_QUEUED"), (0x27, "ATA_CMD_READ_NATIVE_MAX_EXT"),
        (0x29, "ATA_CMD_READ_MULTI_EXT"), (0x2a, "ATA_CMD_READ_STREAM_DMA_EXT"), (0x2b, "ATA_CMD_READ_STREAM_EXT"),
        (0x2f, "ATA_CMD_READ_LOG_EXT"), (0x30, "ATA_CMD_PIO_WRITE"), (0x32, "ATA_CMD_WRITE_LONG"),
        (0x33, "ATA_CMD_WRITE_LONG_ONCE"), (0x34, "ATA_CMD_PIO_WRITE_EXT"), (0x35, "ATA_CMD_WRITE_EXT"),
        (0x36, "ATA_CMD_WRITE_QUEUED"), (0x37, "ATA_CMD_SET_MAX_EXT"), (0x38, "ATA_CMD_CFA_WRITE_NE"),
        (0x39, "ATA_CMD_WRITE_MULTI_EXT"), (0x3a, "ATA_CMD_WRITE_STREAM_DMA_EXT"),
        (0x3b, "ATA_CMD_WRITE_STREAM_EXT"), (0x3d, "ATA_CMD_WRITE_FUA_EXT"), (0x3e, "ATA_CMD_WRITE_QUEUED_FUA_EXT"),
        (0x3f, "ATA_CMD_WRITE_LOG_EXT"), (0x40, "ATA_CMD_VERIFY"), (0x42, "ATA_CMD_VERIFY_EXT"),
        (0x45, "ATA_CMD_WRITE_UNCORR_EXT"), (0x47, "ATA_CMD_READ_LOG_DMA_EXT"), (0x4a, "ATA_CMD_ZAC_MGMT_IN"),
        (0x51, "ATA_CMD_CONFIG_STREAM"), (0x57, "ATA_CMD_WRITE_LOG_DMA_EXT"), (0x5b, "ATA_CMD_TRUSTED_NONDATA"),
        (0x5c, "ATA_CMD_TRUSTED_RCV"), (0x5d, "ATA_CMD_TRUSTED_RCV_DMA"), (0x5e, "ATA_CMD_TRUSTED_SND"),
        (0x5f, "ATA_CMD_TRUSTED_SND_DMA"), (0x60, "ATA_CMD_FPDMA_READ"), (0x61, "ATA_CMD_FPDMA_WRITE"),
        (0x63, "ATA_CMD_NCQ_NON_DATA"), (0x64, "ATA_CMD_FPDMA_SEND"), (0x65, "ATA_CMD_FPDMA_RECV"),
        (0x87, "ATA_CMD_CFA_TRANS_SECT"), (0x90, "ATA_CMD_EDD"), (0x91, "ATA_CMD_INIT_DEV_PARAMS"),
        (0x92, "ATA_CMD_DOWNLOAD_MICRO"), (0x93, "ATA_CMD_DOWNLOAD_MICRO_DMA"), (0x9f, "ATA_CMD_ZAC_MGMT_OUT"),
        (0xa0, "ATA_CMD_PACKET"), (0xa1, "ATA_CMD_ID_ATAPI"), (0xa2, "ATA_CMD_SERVICE"), (0xb0, "ATA_CMD_SMART"),
        (0xb1, "ATA_CMD_CONF_OVERLAY"), (0xb4, "ATA_CMD_SANITIZE_DEVICE"), (0xc0, "ATA_CMD_CFA_ERASE"),
        (0xc4, "ATA_CMD_READ_MULTI"), (0xc5, "ATA_CMD_WRITE_MULTI"), (0xc6, "ATA_CMD_SET_MULTI"),
        (0xc8, "ATA_CMD_READ"), (0xca, "ATA_CMD_WRITE"), (0xcd, "ATA_CMD_CFA_WRITE_MULT_NE"),
        (0xce, "ATA_CMD_WRITE_MULTI_FUA_EXT"), (0xd1, "ATA_CMD_CHK_MED_CRD_TYP"), (0xde, "ATA_CMD_MEDIA_LOCK"),
        (0xdf, "ATA_CMD_MEDIA_UNLOCK"), (0xe0, "ATA_CMD_STANDBYNOW1"), (0xe1, "ATA_CMD_IDLEIMMEDIATE"),
        (0xe2, "ATA_CMD_STANDBY"), (0xe3, "ATA_CMD_IDLE"), (0xe4, "ATA_CMD_PMP_READ"), (0xe5, "ATA_CMD_CHK_POWER"),
        (0xe6, "ATA_CMD_SLEEP"), (0xe7, "ATA_CMD_FLUSH"), (0xe8, "ATA_CMD_PMP_WRITE"),
        (0xe9, "ATA_CMD_PMP_READ_DMA"), (0xea, "ATA_CMD_FLUSH_EXT"), (0xeb, "ATA_CMD_PMP_WRITE_DMA"),
        (0xec, "ATA_CMD_ID_ATA"), (0xef, "ATA_CMD_SET_FEATURES"), (0xf1, "ATA_CMD_SEC_SET_PASS"),
        (0xf2, "ATA_CMD_SEC_UNLOCK"), (0xf3, "ATA_CMD_SEC_ERASE_PREP"), (0xf4, "ATA_CMD_SEC_ERASE_UNIT"),
        (0xf5, "ATA_CMD_SEC_FREEZE_LOCK"), (0xf6, "ATA_CMD_SEC_DISABLE_PASS"), (0xf8, "ATA_CMD_READ_NATIVE_MAX"),
        (0xf9, "ATA_CMD_SET_MAX")],

}

# NBD_SET_FLAGS also passes the protocol's transmission flags the server sent, which
# linux/nbd.h does not define (the NBD protocol, doc/proto.md "Transmission flags")
DECLARED["nbd_ioctl_flags"] = [(1 << 6, "NBD_FLAG_SEND_WRITE_ZEROES"), (1 << 7, "NBD_FLAG_SEND_DF"),
                               (1 << 9, "NBD_FLAG_SEND_RESIZE"), (1 << 10, "NBD_FLAG_SEND_CACHE"),
                               (1 << 11, "NBD_FLAG_SEND_FAST_ZERO")]

# tables strace prints in its own order, not the header's (its xlat/term_lflags.in)
ORDER: dict[str, list[str]] = {
    "kd_keymap_flags": ["KG_SHIFT", "KG_ALTGR", "KG_CTRL", "KG_ALT", "KG_SHIFTL", "KG_SHIFTR", "KG_CTRLL", "KG_CTRLR"],
    "dm_flags": ["DM_READONLY_FLAG", "DM_SUSPEND_FLAG", "DM_EXISTS_FLAG", "DM_PERSISTENT_DEV_FLAG",
                 "DM_STATUS_TABLE_FLAG", "DM_ACTIVE_PRESENT_FLAG", "DM_INACTIVE_PRESENT_FLAG", "DM_BUFFER_FULL_FLAG",
                 "DM_SKIP_BDGET_FLAG", "DM_SKIP_LOCKFS_FLAG", "DM_NOFLUSH_FLAG", "DM_QUERY_INACTIVE_TABLE_FLAG",
                 "DM_UEVENT_GENERATED_FLAG", "DM_UUID_FLAG", "DM_SECURE_DATA_FLAG", "DM_DATA_OUT_FLAG",
                 "DM_DEFERRED_REMOVE", "DM_INTERNAL_SUSPEND_FLAG", "DM_IMA_MEASUREMENT_FLAG"],
    "sg_io_flags": ["SG_FLAG_DIRECT_IO", "SG_FLAG_UNUSED_LUN_INHIBIT", "SG_FLAG_MMAP_IO", "SG_FLAG_NO_DXFER",
                    "SG_FLAG_Q_AT_TAIL", "SG_FLAG_Q_AT_HEAD"],
    "term_lflags": ["ISIG", "ICANON", "XCASE", "ECHO", "ECHOE", "ECHOK", "ECHONL", "NOFLSH", "IEXTEN", "ECHOCTL",
                    "ECHOPRT", "ECHOKE", "FLUSHO", "PENDIN", "TOSTOP", "EXTPROC"],
}

# flag tables whose combined values print before their single bits (strace's xlat order:
# GPIOEVENT_REQUEST_BOTH_EDGES, not RISING_EDGE|FALLING_EDGE)
WIDE_FIRST: frozenset[str] = frozenset({"gpio_event_flags", "v4l2_sliced_flags"})
# flag tables strace prints in value order, not the header's
BY_VALUE: frozenset[str] = frozenset({"lirc_features", "v4l2_device_capabilities_flags", "btrfs_balance_args"})

# UBI_IOCEBCH/UBI_IOCEBMAP's dtype: the data types mtd/ubi-user.h had until the kernel
# stopped using the field (enum { UBI_LONGTERM = 1, UBI_SHORTTERM = 2, UBI_UNKNOWN = 3 })
DECLARED["ubi_data_types"] = [(1, "UBI_LONGTERM"), (2, "UBI_SHORTTERM"), (3, "UBI_UNKNOWN")]

# the kernel's scsi/sg.h has what glibc's older copy of it, installed instead, lacks
# (include/scsi/sg.h in the kernel: SG_GET_ACCESS_COUNT, SG_SCSI_RESET_TARGET/NO_ESCALATE)
DECLARED["ioctl_plain"] = [(0x2289, "SG_GET_ACCESS_COUNT")]
DECLARED["sg_scsi_reset"] = [(4, "SG_SCSI_RESET_TARGET"), (0x100, "SG_SCSI_RESET_NO_ESCALATE")]
DECLARED["sg_io_flags"] = [(2, "SG_FLAG_UNUSED_LUN_INHIBIT"), (4, "SG_FLAG_MMAP_IO"), (0x10, "SG_FLAG_Q_AT_TAIL"),
                           (0x20, "SG_FLAG_Q_AT_HEAD")]

# btrfs: the compression types of fs/btrfs/compression.h (enum btrfs_compression_type, not in the
# UAPI headers), and the all-ones value strace names in the object id and key type tables
# (its PRINT_FIELD_U64 prints UINT64_MAX so too)
DECLARED["btrfs_compress_types"] = [(0, "BTRFS_COMPRESS_NONE"), (1, "BTRFS_COMPRESS_ZLIB"), (2, "BTRFS_COMPRESS_LZO"),
                                    (3, "BTRFS_COMPRESS_ZSTD")]
DECLARED["btrfs_tree_objectids"] = [(0xFFFFFFFFFFFFFFFF, "UINT64_MAX")]
DECLARED["btrfs_key_types"] = [(0xFFFFFFFF, "UINT32_MAX")]

# KDFONTOP's flags: the kernel's own KD_FONT_FLAG_OLD (include/linux/kd.h, not exported)
DECLARED["kd_font_flags"] = [(0x80000000, "KD_FONT_FLAG_OLD")]

# DM_EXISTS_FLAG: lvm2's (libdm/ioctl/libdm-iface.c), which the kernel's header leaves out
DECLARED["dm_flags"] = [(0x4, "DM_EXISTS_FLAG")]

# TEE: the GlobalPlatform TEE Client API's return origins (TEEC_ORIGIN_*) and the kernel's shared
# memory flags (include/linux/tee_drv.h TEE_SHM_*), neither in linux/tee.h; names as strace's
DECLARED["tee_ioctl_origins"] = [(1, "TEEC_ORIGIN_API"), (2, "TEEC_ORIGIN_COMMS"), (3, "TEEC_ORIGIN_TEE"),
                                 (4, "TEEC_ORIGIN_TRUSTED_APP")]
DECLARED["tee_ioctl_shm_flags"] = [(0x1, "TEE_IOCTL_SHM_MAPPED"), (0x2, "TEE_IOCTL_SHM_DMA_BUF"),
                                   (0x4, "TEE_IOCTL_SHM_EXT_DMA_BUF"), (0x8, "TEE_IOCTL_SHM_REGISTER"),
                                   (0x10, "TEE_IOCTL_SHM_USER_MAPPED"), (0x20, "TEE_IOCTL_SHM_POOL"),
                                   (0x40, "TEE_IOCTL_SHM_KERNEL_MAPPED")]

# the name strace gives an unknown value of these tables (the dflt of printxval/printflags)
UNKNOWN: dict[str, str] = {"evdev_ev": "EV_", "evdev_abs": "ABS_", "evdev_keycode": "KEY_", "evdev_prop": "PROP_",
                           "evdev_mtslots": "ABS_MT_", "evdev_ff_types": "FF_", "evdev_ff_status": "FF_STATUS_",
                           "hdio_ide_nice": "IDE_NICE_",
                           "hdio_drive_cmds": "ATA_CMD_",
                           "fs_ioc_flags": "FS_???_FL", "blkpg_ops": "BLKPG_", "audit_arch": "AUDIT_ARCH_",
                           "dm_flags": "DM_",
                           "kd_kbd_types": "KB_", "kd_modes": "KD_", "kd_kbd_modes": "K_", "kd_meta_vals": "K_",
                           "kd_keymap_flags": "K_", "kd_led_flags": "LED_", "kd_font_ops": "KD_FONT_OP_",
                           "kd_font_flags": "KD_FONT_FLAG_",
                           "perf_ioctl_flags": "PERF_IOC_FLAG_", "perf_event_open_flags": "PERF_FLAG_",
                           "uffd_api_features": "UFFD_FEATURE_",
                           "uffd_api_flags": "_UFFDIO_", "uffd_register_ioctl_flags": "UFFDIO_",
                           "uffd_copy_flags": "UFFDIO_COPY_", "uffd_register_mode_flags": "UFFDIO_REGISTER_MODE_",
                           "uffd_zeropage_flags": "UFFDIO_ZEROPAGE_",
                           "sg_scsi_reset": "SG_SCSI_RESET_", "sg_io_dxfer_direction": "SG_DXFER_",
                           "sg_io_flags": "SG_FLAG_", "sg_io_info": "SG_INFO_", "bsg_protocol": "BSG_PROTOCOL_",
                           "bsg_subprotocol": "BSG_SUB_PROTOCOL_", "bsg_flags": "BSG_FLAG_",
                           "ubi_volume_types": "UBI_???_VOLUME", "ubi_volume_flags": "UBI_VOL_",
                           "ubi_volume_props": "UBI_VOL_PROP_", "ubi_data_types": "UBI_",
                           "mtd_type_options": "MTD_", "mtd_flags_options": "MTD_", "mtd_otp_options": "MTD_OTP_",
                           "mtd_file_mode_options": "MTD_FILE_MODE_", "mtd_nandecc_options": "MTD_NANDECC_",
                           "mtd_mode_options": "MTD_OPS_",
                           "lirc_features": "LIRC_CAN_", "lirc_modes": "LIRC_MODE_", "modem_flags": "TIOCM_",
                           "loop_flags_options": "LO_FLAGS_", "loop_crypt_type_options": "LO_CRYPT_",
                           "rtc_features": "1<<RTC_FEATURE_", "rtc_vl_flags": "RTC_VL_", "rtc_params": "RTC_PARAM_",
                           "rtc_backup_switch_modes": "RTC_BSM_",
                           "gpio_line_flags": "GPIOLINE_FLAG_", "gpio_handle_flags": "GPIOHANDLE_REQUEST_",
                           "gpio_event_flags": "GPIOEVENT_REQUEST_", "gpio_v2_line_flags": "GPIO_V2_LINE_FLAG_",
                           "ptp_extts_flags": "PTP_", "ptp_perout_flags": "PTP_PEROUT_", "ptp_pin_funcs": "PTP_PF_",
                           "nbd_ioctl_flags": "NBD_IOC_FLAG_", "counter_component_types": "COUNTER_COMPONENT_",
                           "counter_scopes": "COUNTER_SCOPE_", "counter_event_types": "COUNTER_EVENT_",
                           "tee_ioctl_gen_caps": "TEE_GEN_CAP_", "tee_ioctl_impl_ids": "TEE_IMPL_ID_",
                           "tee_ioctl_optee_caps": "TEE_OPTEE_CAP_", "tee_ioctl_login_types": "TEE_IOCTL_LOGIN_",
                           "tee_ioctl_param_attr_types": "TEE_IOCTL_PARAM_ATTR_", "tee_ioctl_origins": "TEEC_ORIGIN_",
                           "tee_ioctl_shm_flags": "TEE_IOCTL_SHM_", "perf_type_id": "PERF_TYPE_",
                           "perf_attr_size": "PERF_ATTR_SIZE_", "perf_hw_id": "PERF_COUNT_HW_",
                           "perf_sw_ids": "PERF_COUNT_SW_", "perf_hw_cache_id": "PERF_COUNT_HW_CACHE_",
                           "perf_hw_cache_op_id": "PERF_COUNT_HW_CACHE_OP_",
                           "perf_hw_cache_op_result_id": "PERF_COUNT_HW_CACHE_RESULT_",
                           "perf_event_sample_format": "PERF_SAMPLE_", "perf_event_read_format": "PERF_FORMAT_",
                           "perf_branch_sample_type": "PERF_SAMPLE_BRANCH_", "hw_breakpoint_type": "HW_BREAKPOINT_"}
# strace's btrfs.c defaults (the object ids, key types and device stat names have none: an
# unknown one prints as its number)
UNKNOWN.update({
    "btrfs_balance_flags": "BTRFS_BALANCE_", "btrfs_compress_types": "BTRFS_COMPRESS_",
    "btrfs_cont_reading_from_srcdev_mode": "BTRFS_IOCTL_DEV_REPLACE_CONT_READING_FROM_SRCDEV_MODE_",
    "btrfs_dev_replace_cmds": "BTRFS_IOCTL_DEV_REPLACE_CMD_",
    "btrfs_dev_replace_results": "BTRFS_IOCTL_DEV_REPLACE_RESULT_",
    "btrfs_dev_replace_state": "BTRFS_IOCTL_DEV_REPLACE_STATE_", "btrfs_features_compat": "BTRFS_FEATURE_COMPAT_",
    "btrfs_features_compat_ro": "BTRFS_FEATURE_COMPAT_RO_", "btrfs_features_incompat": "BTRFS_FEATURE_INCOMPAT_",
    "btrfs_qgroup_ctl_cmds": "BTRFS_QUOTA_CTL_", "btrfs_send_flags": "BTRFS_SEND_FLAGS_",
    "btrfs_snap_flags_v2": "BTRFS_SUBVOL_", "btrfs_defrag_flags": "BTRFS_DEFRAG_RANGE_",
    "btrfs_csum_types": "BTRFS_CSUM_TYPE_", "btrfs_fs_info_flags": "BTRFS_FS_INFO_FLAG_",
    "btrfs_space_info_flags": "BTRFS_BLOCK_GROUP_", "btrfs_qgroup_inherit_flags": "BTRFS_QGROUP_INHERIT_",
    "btrfs_qgroup_limit_flags": "BTRFS_QGROUP_LIMIT_", "btrfs_scrub_flags": "BTRFS_SCRUB_",
    "btrfs_dev_stats_flags": "BTRFS_DEV_STATS_", "btrfs_logical_ino_args_flags": "BTRFS_LOGICAL_INO_ARGS_",
    "btrfs_balance_args": "BTRFS_BALANCE_ARGS_", "btrfs_balance_state": "BTRFS_BALANCE_STATE_",
    "btrfs_balance_ctl_cmds": "BTRFS_BALANCE_CTL_"})
