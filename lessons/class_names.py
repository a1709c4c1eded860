"""Class names as students read them, in English and Chinese, and counts in words ("3 cows").

The models' own spellings (Pascal VOC's 'tvmonitor', COCO's 'N/A') stay the ids; this table only
changes what is written on the page.
"""

ENGLISH = {"__background__": "background", "diningtable": "dining table", "pottedplant": "potted plant",
           "potted-plant": "potted plant", "tvmonitor": "TV / monitor", "tv/monitor": "TV / monitor",
           "motorbike": "motorbike"}

CHINESE = {
    "background": "背景", "__background__": "背景", "aeroplane": "飞机", "airplane": "飞机", "bicycle": "自行车",
    "bird": "鸟", "boat": "船", "bottle": "瓶子", "bus": "公共汽车", "car": "汽车", "cat": "猫", "chair": "椅子",
    "cow": "牛", "diningtable": "餐桌", "dining table": "餐桌", "dog": "狗", "horse": "马", "motorbike": "摩托车",
    "motorcycle": "摩托车", "person": "人", "pottedplant": "盆栽", "potted-plant": "盆栽", "potted plant": "盆栽",
    "sheep": "羊", "sofa": "沙发", "couch": "沙发", "train": "火车", "tvmonitor": "电视/显示器",
    "tv/monitor": "电视/显示器", "tv": "电视", "truck": "卡车", "traffic light": "红绿灯", "fire hydrant": "消防栓",
    "stop sign": "停车标志", "parking meter": "停车计时器", "bench": "长椅", "elephant": "大象", "bear": "熊",
    "zebra": "斑马", "giraffe": "长颈鹿", "backpack": "背包", "umbrella": "雨伞", "handbag": "手提包", "tie": "领带",
    "suitcase": "行李箱", "frisbee": "飞盘", "skis": "滑雪板", "snowboard": "单板滑雪板", "sports ball": "球",
    "kite": "风筝", "baseball bat": "棒球棒", "baseball glove": "棒球手套", "skateboard": "滑板",
    "surfboard": "冲浪板", "tennis racket": "网球拍", "wine glass": "酒杯", "cup": "杯子", "fork": "叉子",
    "knife": "刀", "spoon": "勺子", "bowl": "碗", "banana": "香蕉", "apple": "苹果", "sandwich": "三明治",
    "orange": "橙子", "broccoli": "西兰花", "carrot": "胡萝卜", "hot dog": "热狗", "pizza": "披萨",
    "donut": "甜甜圈", "cake": "蛋糕", "bed": "床", "toilet": "马桶", "laptop": "笔记本电脑", "mouse": "鼠标",
    "remote": "遥控器", "keyboard": "键盘", "cell phone": "手机", "microwave": "微波炉", "oven": "烤箱",
    "toaster": "烤面包机", "sink": "水槽", "refrigerator": "冰箱", "book": "书", "clock": "时钟", "vase": "花瓶",
    "scissors": "剪刀", "teddy bear": "泰迪熊", "hair drier": "吹风机", "toothbrush": "牙刷", "N/A": "（未用）",
}

PLURAL = {"person": "people", "sheep": "sheep", "bus": "buses", "mouse": "mice", "knife": "knives",
          "skis": "pairs of skis", "scissors": "pairs of scissors", "bench": "benches", "couch": "couches",
          "sandwich": "sandwiches", "toothbrush": "toothbrushes", "glass": "glasses", "background": "background",
          "wine glass": "wine glasses", "TV / monitor": "TVs / monitors", "potted plant": "potted plants"}


def display_name(name: str, lang: str = "en") -> str:
    if lang == "zh":
        return CHINESE.get(name, ENGLISH.get(name, name))
    return ENGLISH.get(name, name)


def count_phrase(name: str, count: int, lang: str = "en") -> str:
    """'1 cow', '3 cows', '2 people'; in Chinese '牛 × 3'."""
    shown = display_name(name, lang)
    if lang == "zh":
        return f"{shown} × {count}"
    if count == 1:
        return f"1 {shown}"
    return f"{count} {PLURAL.get(shown, shown + 's')}"
