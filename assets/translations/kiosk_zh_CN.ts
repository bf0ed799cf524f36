<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
    <context>
        <name>AttractScreen</name>
        <message>
            <location filename="../../screens/attract.py" line="76" />
            <source>24-hour government self-service</source>
            <translation>政务服务 24 小时自助终端</translation>
        </message>
        <message>
            <location filename="../../screens/attract.py" line="77" />
            <source>Popular services</source>
            <translation>高频事项</translation>
        </message>
        <message>
            <location filename="../../screens/attract.py" line="78" />
            <source>Touch the screen to start</source>
            <translation>请触摸屏幕开始办理</translation>
        </message>
        <message>
            <location filename="../../screens/attract.py" line="81" />
            <source>Welcome. Touch the screen to start.</source>
            <translation>欢迎使用，请触摸屏幕开始办理。</translation>
        </message>
    </context>
    <context>
        <name>CategoryScreen</name>
        <message>
            <location filename="../../screens/browse.py" line="139" />
            <source>‹ Previous page</source>
            <translation>‹ 上一页</translation>
        </message>
        <message>
            <location filename="../../screens/browse.py" line="140" />
            <source>Next page ›</source>
            <translation>下一页 ›</translation>
        </message>
        <message>
            <location filename="../../screens/browse.py" line="144" />
            <source>Page {page} of {pages}</source>
            <translation>第 {page} / {pages} 页</translation>
        </message>
        <message>
            <location filename="../../screens/browse.py" line="147" />
            <source>Choose a service to read its guide.</source>
            <translation>请选择事项查看办事指南。</translation>
        </message>
    </context>
    <context>
        <name>CountdownOverlay</name>
        <message numerus="yes">
            <location filename="../../screens/widgets/chrome.py" line="290" />
            <source>%n second(s) left</source>
            <translation>
                <numerusform>还剩 %n 秒</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="294" />
            <source>Are you still there?</source>
            <translation>您还在吗？</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="295" />
            <source>For your privacy, everything you entered will be cleared and the terminal will return to the start screen.</source>
            <translation>为保护您的隐私，您输入的所有内容将被清除，终端将返回首页。</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="300" />
            <source>I'm still here</source>
            <translation>我还在，继续办理</translation>
        </message>
    </context>
    <context>
        <name>DepartmentScreen</name>
        <message numerus="yes">
            <location filename="../../screens/browse.py" line="52" />
            <source>%n service(s). Choose a category.</source>
            <translation>
                <numerusform>共 %n 个事项，请选择分类。</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../screens/browse.py" line="58" />
            <source>%n service(s)</source>
            <translation>
                <numerusform>%n 个事项</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../screens/browse.py" line="65" />
            <source>Choose a category.</source>
            <translation>请选择分类。</translation>
        </message>
    </context>
    <context>
        <name>GuideScreen</name>
        <message>
            <location filename="../../screens/guide.py" line="99" />
            <source>Printing your guide slip…</source>
            <translation>正在打印办事指南，请稍候…</translation>
        </message>
        <message>
            <location filename="../../screens/guide.py" line="101" />
            <source>Please take your guide slip from the printer.</source>
            <translation>请从下方出纸口取走办事指南。</translation>
        </message>
        <message>
            <location filename="../../screens/guide.py" line="103" />
            <source>The printer has run out of paper. Scan the QR code to take the guide with you, or go to: {window}</source>
            <translation>打印机缺纸。请扫描二维码带走办事指南，或前往：{window}</translation>
        </message>
        <message>
            <location filename="../../screens/guide.py" line="106" />
            <source>The printer's cover is open. Scan the QR code to take the guide with you, or go to: {window}</source>
            <translation>打印机舱盖未关好。请扫描二维码带走办事指南，或前往：{window}</translation>
        </message>
        <message>
            <location filename="../../screens/guide.py" line="109" />
            <source>The printer is not working right now. Scan the QR code to take the guide with you, or go to: {window}</source>
            <translation>打印机暂时无法使用。请扫描二维码带走办事指南，或前往：{window}</translation>
        </message>
        <message>
            <location filename="../../screens/guide.py" line="131" />
            <source>Scan with your phone to take this guide with you</source>
            <translation>手机扫码，把办事指南带回家</translation>
        </message>
        <message>
            <location filename="../../screens/guide.py" line="132" />
            <source>Print this guide</source>
            <translation>打印办事指南</translation>
        </message>
        <message>
            <location filename="../../screens/guide.py" line="138" />
            <source>Materials to bring</source>
            <translation>申请材料</translation>
        </message>
        <message>
            <location filename="../../screens/guide.py" line="139" />
            <source>Steps</source>
            <translation>办理流程</translation>
        </message>
        <message>
            <location filename="../../screens/guide.py" line="140" />
            <source>Where to go</source>
            <translation>办理地点</translation>
        </message>
        <message>
            <location filename="../../screens/guide.py" line="141" />
            <source>Who can apply</source>
            <translation>服务对象</translation>
        </message>
        <message>
            <location filename="../../screens/guide.py" line="142" />
            <source>Legal basis</source>
            <translation>设定依据</translation>
        </message>
        <message>
            <location filename="../../screens/guide.py" line="155" />
            <source>Time limit: {promised} (legal limit {legal})</source>
            <translation>承诺时限：{promised}（法定时限：{legal}）</translation>
        </message>
        <message>
            <location filename="../../screens/guide.py" line="157" />
            <source>Fee: {fee}</source>
            <translation>收费标准：{fee}</translation>
        </message>
        <message>
            <location filename="../../screens/guide.py" line="158" />
            <source>original ×{n}</source>
            <translation>原件 ×{n}</translation>
        </message>
        <message>
            <location filename="../../screens/guide.py" line="159" />
            <source>copy ×{n}</source>
            <translation>复印件 ×{n}</translation>
        </message>
        <message>
            <location filename="../../screens/guide.py" line="173" />
            <source>Hours: {hours}</source>
            <translation>办理时间：{hours}</translation>
        </message>
        <message>
            <location filename="../../screens/guide.py" line="174" />
            <source>Phone: {phone}</source>
            <translation>咨询电话：{phone}</translation>
        </message>
        <message>
            <location filename="../../screens/guide.py" line="182" />
            <source>on the spot</source>
            <translation>即时办结</translation>
        </message>
        <message numerus="yes">
            <location filename="../../screens/guide.py" line="183" />
            <source>%n working day(s)</source>
            <translation>
                <numerusform>%n 个工作日</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../screens/guide.py" line="186" />
            <source>This is the service guide. Scan the QR code to take it with you.</source>
            <translation>这是办事指南，扫描二维码即可带走。</translation>
        </message>
    </context>
    <context>
        <name>HomeScreen</name>
        <message>
            <location filename="../../screens/home.py" line="78" />
            <source>What would you like to do?</source>
            <translation>您要办理什么业务？</translation>
        </message>
        <message>
            <location filename="../../screens/home.py" line="81" />
            <source>(printing paused)</source>
            <translation>（打印暂停服务）</translation>
        </message>
        <message>
            <location filename="../../screens/home.py" line="87" />
            <source>Search services: type pinyin initials, e.g. sbcb</source>
            <translation>搜索事项：输入拼音首字母，如 sbcb</translation>
        </message>
        <message>
            <location filename="../../screens/home.py" line="89" />
            <source>Search services</source>
            <translation>搜索事项</translation>
        </message>
        <message>
            <location filename="../../screens/home.py" line="90" />
            <source>Popular services</source>
            <translation>高频事项</translation>
        </message>
        <message>
            <location filename="../../screens/home.py" line="91" />
            <source>Services by department</source>
            <translation>按部门查找</translation>
        </message>
        <message>
            <location filename="../../screens/home.py" line="102" />
            <source>Choose a service, a department, or search.</source>
            <translation>请选择事项、部门，或搜索。</translation>
        </message>
    </context>
    <context>
        <name>IdNumberPad</name>
        <message>
            <location filename="../../screens/widgets/numpad.py" line="16" />
            <source>The number is complete. Tap Confirm.</source>
            <translation>号码已输完整，请点“确认”。</translation>
        </message>
        <message numerus="yes">
            <location filename="../../screens/widgets/numpad.py" line="19" />
            <source>%n more character(s) to type.</source>
            <translation>
                <numerusform>还需输入 %n 位。</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../screens/widgets/numpad.py" line="21" />
            <source>An ID number has 18 characters.</source>
            <translation>身份证号码共 18 位。</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/numpad.py" line="23" />
            <source>X can only be the last character.</source>
            <translation>X 只能是最后一位。</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/numpad.py" line="25" />
            <source>The first two digits are not a province. Please check them.</source>
            <translation>前两位不是有效的省份代码，请核对。</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/numpad.py" line="27" />
            <source>Digits 7 to 14 are not a date of birth. Please check them.</source>
            <translation>第 7 至 14 位不是有效的出生日期，请核对。</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/numpad.py" line="28" />
            <source>The last character does not match: one digit is probably mistyped. Please check the number.</source>
            <translation>最后一位校验码不符，可能有数字输错，请核对号码。</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/numpad.py" line="90" />
            <source>Clear</source>
            <translation>清空</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/numpad.py" line="91" />
            <source>Confirm</source>
            <translation>确认</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/numpad.py" line="92" />
            <source>Delete last character</source>
            <translation>删除一位</translation>
        </message>
    </context>
    <context>
        <name>LetterKeyboard</name>
        <message>
            <location filename="../../screens/widgets/keyboard.py" line="83" />
            <source>Chinese</source>
            <translation>汉字输入</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/keyboard.py" line="84" />
            <source>Type Chinese characters</source>
            <translation>输入汉字</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/keyboard.py" line="85" />
            <source>Space</source>
            <translation>空格</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/keyboard.py" line="86" />
            <source>Delete last letter</source>
            <translation>删除一个字母</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/keyboard.py" line="87" />
            <source>Clear</source>
            <translation>清空</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/keyboard.py" line="88" />
            <source>Clear the search</source>
            <translation>清空搜索</translation>
        </message>
    </context>
    <context>
        <name>NavBar</name>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="238" />
            <source>‹ Back</source>
            <translation>‹ 返回</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="239" />
            <source>Home</source>
            <translation>首页</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="240" />
            <source>Finish</source>
            <translation>结束办理</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="241" />
            <source>Finish and clear everything</source>
            <translation>结束办理并清除全部信息</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="242" />
            <source>Report a problem</source>
            <translation>办不成事</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="243" />
            <source>Elder mode</source>
            <translation>长者模式</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="244" />
            <source>Large text and high contrast</source>
            <translation>大字体、高对比度</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="245" />
            <source>中文</source>
            <translation>中文</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="245" />
            <source>English</source>
            <translation>English</translation>
        </message>
    </context>
    <context>
        <name>OutOfServiceScreen</name>
        <message>
            <location filename="../../screens/guide.py" line="208" />
            <source>This terminal is temporarily out of service</source>
            <translation>本终端暂停服务</translation>
        </message>
        <message>
            <location filename="../../screens/guide.py" line="209" />
            <source>Please go to: {place}</source>
            <translation>请前往：{place}</translation>
        </message>
        <message>
            <location filename="../../screens/guide.py" line="213" />
            <source>Reference for staff: {code}</source>
            <translation>故障代码（供工作人员查看）：{code}</translation>
        </message>
    </context>
    <context>
        <name>ProblemScreen</name>
        <message>
            <location filename="../../screens/problem.py" line="15" />
            <source>My ID card or number is not accepted</source>
            <translation>身份证读不出或号码无法输入</translation>
        </message>
        <message>
            <location filename="../../screens/problem.py" line="16" />
            <source>My records cannot be found</source>
            <translation>查不到我的信息</translation>
        </message>
        <message>
            <location filename="../../screens/problem.py" line="17" />
            <source>My records are wrong</source>
            <translation>查到的信息不对</translation>
        </message>
        <message>
            <location filename="../../screens/problem.py" line="18" />
            <source>It does not print</source>
            <translation>打印不出来</translation>
        </message>
        <message>
            <location filename="../../screens/problem.py" line="19" />
            <source>The terminal is broken</source>
            <translation>设备坏了（屏幕、读卡器、扫码）</translation>
        </message>
        <message>
            <location filename="../../screens/problem.py" line="20" />
            <source>The system cannot be reached</source>
            <translation>系统连不上</translation>
        </message>
        <message>
            <location filename="../../screens/problem.py" line="21" />
            <source>What I need cannot be done here</source>
            <translation>要办的事这里办不了</translation>
        </message>
        <message>
            <location filename="../../screens/problem.py" line="22" />
            <source>I do not know how to use it</source>
            <translation>不会操作</translation>
        </message>
        <message>
            <location filename="../../screens/problem.py" line="23" />
            <source>Something else</source>
            <translation>其他问题</translation>
        </message>
        <message>
            <location filename="../../screens/problem.py" line="80" />
            <source>Could not get it done? Tell us</source>
            <translation>办不成事？请告诉我们</translation>
        </message>
        <message>
            <location filename="../../screens/problem.py" line="85" />
            <source>Back to the start</source>
            <translation>返回首页</translation>
        </message>
        <message>
            <location filename="../../screens/problem.py" line="87" />
            <source>Choose what went wrong. You will get a number and where to go; staff will help you there.</source>
            <translation>请选择遇到的问题。您将获得一个编号和去处，工作人员会在那里为您办理。</translation>
        </message>
        <message>
            <location filename="../../screens/problem.py" line="90" />
            <source>Thank you. Your report has been recorded.</source>
            <translation>谢谢，您反映的问题已记录。</translation>
        </message>
        <message>
            <location filename="../../screens/problem.py" line="91" />
            <source>Your number</source>
            <translation>您的编号</translation>
        </message>
        <message>
            <location filename="../../screens/problem.py" line="94" />
            <source>Please go to: {place}</source>
            <translation>请前往：{place}</translation>
        </message>
        <message>
            <location filename="../../screens/problem.py" line="97" />
            <source>Choose what went wrong.</source>
            <translation>请选择遇到的问题。</translation>
        </message>
    </context>
    <context>
        <name>RatingPanel</name>
        <message>
            <location filename="../../screens/widgets/rating.py" line="13" />
            <source>Very satisfied</source>
            <translation>非常满意</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/rating.py" line="14" />
            <source>Satisfied</source>
            <translation>满意</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/rating.py" line="15" />
            <source>Basically satisfied</source>
            <translation>基本满意</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/rating.py" line="16" />
            <source>Dissatisfied</source>
            <translation>不满意</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/rating.py" line="17" />
            <source>Very dissatisfied</source>
            <translation>非常不满意</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/rating.py" line="23" />
            <source>Took too long</source>
            <translation>等候或办理时间长</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/rating.py" line="24" />
            <source>Hard to use</source>
            <translation>操作复杂，不会用</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/rating.py" line="25" />
            <source>Instructions unclear</source>
            <translation>指引或说明看不懂</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/rating.py" line="26" />
            <source>Results not right</source>
            <translation>查询结果不准确</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/rating.py" line="27" />
            <source>Could not get it done</source>
            <translation>事情没办成</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/rating.py" line="28" />
            <source>Printing problem</source>
            <translation>打印出错或不清楚</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/rating.py" line="29" />
            <source>Terminal fault</source>
            <translation>设备故障</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/rating.py" line="30" />
            <source>Staff service</source>
            <translation>帮办人员服务不好</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/rating.py" line="31" />
            <source>Other</source>
            <translation>其他</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/rating.py" line="101" />
            <source>Please choose at least one reason.</source>
            <translation>请至少选择一项原因。</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/rating.py" line="122" />
            <source>How was the service today?</source>
            <translation>您对本次服务满意吗？</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/rating.py" line="125" />
            <source>What went wrong? Choose one or more.</source>
            <translation>哪里不满意？可多选。</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/rating.py" line="128" />
            <source>Skip</source>
            <translation>跳过</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/rating.py" line="129" />
            <source>Submit rating</source>
            <translation>提交评价</translation>
        </message>
    </context>
    <context>
        <name>ReceiptPanel</name>
        <message>
            <location filename="../../screens/widgets/receipt_panel.py" line="16" />
            <source>Virtual receipt printer</source>
            <translation>虚拟凭条打印机</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/receipt_panel.py" line="18" />
            <source>Last receipt printed</source>
            <translation>最近打印的凭条</translation>
        </message>
    </context>
    <context>
        <name>SearchScreen</name>
        <message>
            <location filename="../../screens/search.py" line="107" />
            <source>Type pinyin initials (e.g. sbcb for 社保参保), or tap Chinese to write characters.</source>
            <translation>输入拼音首字母（如 sbcb 即“社保参保”），或点“汉字输入”写汉字。</translation>
        </message>
        <message>
            <location filename="../../screens/search.py" line="109" />
            <source>Nothing found. Try fewer letters, or browse by department.</source>
            <translation>没有找到相关事项。请少输入几个字母，或按部门查找。</translation>
        </message>
        <message numerus="yes">
            <location filename="../../screens/search.py" line="111" />
            <source>%n service(s) found</source>
            <translation>
                <numerusform>找到 %n 个事项</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../screens/search.py" line="134" />
            <source>Search services</source>
            <translation>搜索事项</translation>
        </message>
        <message>
            <location filename="../../screens/search.py" line="135" />
            <source>Pinyin initials, pinyin or Chinese</source>
            <translation>拼音首字母、全拼或汉字</translation>
        </message>
        <message>
            <location filename="../../screens/search.py" line="136" />
            <source>Search text</source>
            <translation>搜索内容</translation>
        </message>
        <message>
            <location filename="../../screens/search.py" line="137" />
            <source>ABC letters</source>
            <translation>ABC 字母</translation>
        </message>
        <message>
            <location filename="../../screens/search.py" line="142" />
            <source>Type the first letters of the pinyin of what you need.</source>
            <translation>请输入您要办理事项的拼音首字母。</translation>
        </message>
    </context>
    <context>
        <name>StatusBar</name>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="126" />
            <source>● Catalog: on this terminal</source>
            <translation>● 事项目录：本机</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="129" />
            <source>● Online</source>
            <translation>● 已联网</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="132" />
            <source> · synced {time}</source>
            <translation> · {time} 已同步</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="134" />
            <source>● Connecting…</source>
            <translation>● 正在连接…</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="136" />
            <source>● Offline</source>
            <translation>● 网络中断</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="138" />
            <source>● Not enrolled</source>
            <translation>● 终端未注册</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="140" />
            <source>● Service problem</source>
            <translation>● 服务异常</translation>
        </message>
        <message numerus="yes">
            <location filename="../../screens/widgets/chrome.py" line="142" />
            <source> · %n to send</source>
            <translation>
                <numerusform> · %n 条待上传</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="147" />
            <source>Network status</source>
            <translation>网络状态</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="150" />
            <source>● Printer: none</source>
            <translation>● 打印机：未配置</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="152" />
            <source>● Printer: paper low</source>
            <translation>● 打印机：纸将用完</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="154" />
            <source>● Printer: ready</source>
            <translation>● 打印机：正常</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="156" />
            <source>● Printer: out of paper</source>
            <translation>● 打印机：缺纸</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="158" />
            <source>● Printer: not working</source>
            <translation>● 打印机：故障</translation>
        </message>
        <message>
            <location filename="../../screens/widgets/chrome.py" line="160" />
            <source>Device status</source>
            <translation>外设状态</translation>
        </message>
    </context>
</TS>
